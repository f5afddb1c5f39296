namespace CodeRunner.Tests.Classroom;

// The storage tests, once per provider: a real SQLite file, and a real PostgreSQL server (scripts/test starts one).

/// <inheritdoc/>
public sealed class SqliteClassTests() : ClassTests(new SqliteTestDatabases());

/// <inheritdoc/>
public sealed class PostgresClassTests(PostgresServer server) : ClassTests(server), IClassFixture<PostgresServer>;

/// <inheritdoc/>
public sealed class SqliteAccountTests() : AccountTests(new SqliteTestDatabases());

/// <inheritdoc/>
public sealed class PostgresAccountTests(PostgresServer server) : AccountTests(server), IClassFixture<PostgresServer>;

/// <inheritdoc/>
public sealed class SqliteProjectTests() : ProjectTests(new SqliteTestDatabases());

/// <inheritdoc/>
public sealed class PostgresProjectTests(PostgresServer server) : ProjectTests(server), IClassFixture<PostgresServer>;

/// <inheritdoc/>
public sealed class SqliteDataSafetyTests() : DataSafetyTests(new SqliteTestDatabases());

/// <inheritdoc/>
public sealed class PostgresDataSafetyTests(PostgresServer server) : DataSafetyTests(server), IClassFixture<PostgresServer>;

/// <inheritdoc/>
public sealed class SqliteExerciseTests() : ExerciseTests(new SqliteTestDatabases());

/// <inheritdoc/>
public sealed class PostgresExerciseTests(PostgresServer server) : ExerciseTests(server), IClassFixture<PostgresServer>;

/// <inheritdoc/>
public sealed class SqliteBinaryFileTests() : BinaryFileTests(new SqliteTestDatabases());

/// <inheritdoc/>
public sealed class PostgresBinaryFileTests(PostgresServer server) : BinaryFileTests(server), IClassFixture<PostgresServer>;

/// <inheritdoc/>
public sealed class SqliteApiTokenTests() : ApiTokenTests(new SqliteTestDatabases());

/// <inheritdoc/>
public sealed class PostgresApiTokenTests(PostgresServer server) : ApiTokenTests(server), IClassFixture<PostgresServer>;

using CodeRunner.Engine.Runs;
using CodeRunner.Engine.Sessions;
using CodeRunner.Engine.Sql;
using CodeRunner.Tests.Infrastructure;
using Npgsql;

namespace CodeRunner.Tests.Engine;

/// <summary>SQL runs against the real PostgreSQL runtime image: a database per session, psql's output, and isolation.</summary>
[Collection(DockerCollection.Name)]
public sealed class SqlTests(EngineFixture fixture)
{
    private SqlServer Server => fixture.Internal.Sql ?? throw new InvalidOperationException("The engine has no SQL runtime.");

    [Fact]
    public async Task Tables_MadeInOneRun_AreThereInTheNextRunOfTheSameSession()
    {
        await using var session = fixture.Engine.CreateSession();
        var made = await session.RunAsync("schema.sql", """
            CREATE TABLE pupils (id integer PRIMARY KEY, name text);
            INSERT INTO pupils VALUES (1, 'Ada'), (2, 'Grace');
            """);
        Assert.True(made.Verdict.Succeeded, made.ToString());
        Assert.Equal("CREATE TABLE\nINSERT 0 2\n", made.Stdout);

        var read = await session.RunAsync("query.sql", "SELECT id, name FROM pupils ORDER BY id;");
        Assert.True(read.Verdict.Succeeded, read.ToString());
        Assert.Equal("""
             id | name
            ----+-------
              1 | Ada
              2 | Grace
            (2 rows)


            """.Replace("\r\n", "\n"), read.Stdout);
    }

    [Fact]
    public async Task TwoSessions_MakeTheSameTable_WithoutConflict()
    {
        await using var first = fixture.Engine.CreateSession();
        await using var second = fixture.Engine.CreateSession();
        foreach (var (session, who) in new[] { (first, "first"), (second, "second") })
        {
            var made = await session.RunAsync("make.sql", $"CREATE TABLE notes (who text); INSERT INTO notes VALUES ('{who}');");
            Assert.True(made.Verdict.Succeeded, made.ToString());
        }

        Assert.Contains(" first\n(1 row)", (await first.RunAsync("read.sql", "SELECT who FROM notes;")).Stdout);
        Assert.Contains(" second\n(1 row)", (await second.RunAsync("read.sql", "SELECT who FROM notes;")).Stdout);
    }

    [Fact]
    public async Task OneSession_CannotReadAnothersDatabase_EvenNamingIt()
    {
        await using var owner = fixture.Engine.CreateSession();
        await using var intruder = fixture.Engine.CreateSession();
        Assert.True((await owner.RunAsync("secret.sql", "CREATE TABLE secret (v text); INSERT INTO secret VALUES ('mine');")).Verdict.Succeeded);
        Assert.True((await intruder.RunAsync("hello.sql", "SELECT 1;")).Verdict.Succeeded);
        var ownerDb = Database(owner);

        // In SQL: a name in another database is refused.
        var named = await intruder.RunAsync("peek.sql", $"SELECT * FROM {ownerDb.Name}.public.secret;");
        Assert.False(named.Verdict.Succeeded);
        Assert.Contains("cross-database references are not implemented", named.Stderr);

        // On the wire: the intruder's own role and password cannot log in to the owner's database, nor the server's.
        var intruderLogin = new NpgsqlConnectionStringBuilder(Database(intruder).Source.ConnectionString) { Pooling = false };
        foreach (var database in new[] { ownerDb.Name, "postgres", "template1" })
        {
            intruderLogin.Database = database;
            await using var connection = new NpgsqlConnection(intruderLogin.ConnectionString);
            var refused = await Assert.ThrowsAsync<PostgresException>(() => connection.OpenAsync());
            Assert.Equal("28000", refused.SqlState); // no pg_hba.conf entry: a role logs in to its own database only
        }
    }

    [Theory]
    [InlineData("COPY (SELECT 1) TO PROGRAM 'id';", "to COPY to or from an external program")]
    [InlineData("SELECT pg_read_file('/etc/passwd');", "permission denied for function pg_read_file")]
    [InlineData("CREATE EXTENSION dblink;", "")]
    [InlineData("ALTER ROLE CURRENT_USER SUPERUSER;", "must be superuser")]
    public async Task ServerSidePowers_AreRefused(string statement, string message)
    {
        await using var session = fixture.Engine.CreateSession();
        var result = await session.RunAsync("escape.sql", statement);
        Assert.False(result.Verdict.Succeeded, result.ToString());
        Assert.Equal(1, result.Verdict.ExitCode);
        Assert.Contains("ERROR:", result.Stderr);
        Assert.Contains(message, result.Stderr);
    }

    [Fact]
    public async Task PsqlShellEscape_IsRefused_AndWhatCameBeforeKeepsItsEffect()
    {
        await using var session = fixture.Engine.CreateSession();
        var result = await session.RunAsync("shell.sql", "CREATE TABLE before_escape (x int);\n\\! touch /tmp/owned\nCREATE TABLE after_escape (x int);\n");
        Assert.False(result.Verdict.Succeeded);
        Assert.Equal("CREATE TABLE\n", result.Stdout);
        Assert.StartsWith("shell.sql:2: \\! is a command of the psql program", result.Stderr);
        var tables = await session.RunAsync("tables.sql", "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1;");
        Assert.Contains(" before_escape\n(1 row)", tables.Stdout);
    }

    [Fact]
    public async Task Error_NamesTheLineAndPosition_AndEarlierStatementsKeepTheirEffect()
    {
        await using var session = fixture.Engine.CreateSession();
        var result = await session.RunAsync("lesson.sql", """
            CREATE TABLE marks (mark int);
            INSERT INTO marks VALUES (7);
            SELECT mark FROM markz;
            INSERT INTO marks VALUES (8);
            """);
        Assert.False(result.Verdict.Succeeded);
        Assert.Equal(1, result.Verdict.ExitCode);
        Assert.Equal("CREATE TABLE\nINSERT 0 1\n", result.Stdout);
        Assert.StartsWith("""
            lesson.sql:3:18: ERROR:  relation "markz" does not exist
            LINE 3: SELECT mark FROM markz;
                                     ^
            """.Replace("\r\n", "\n"), result.Stderr);

        var after = await session.RunAsync("count.sql", "SELECT count(*) FROM marks;");
        Assert.Contains("     1\n(1 row)", after.Stdout);
    }

    [Fact]
    public async Task QueryThatRunsForever_IsStoppedAtTheTimeLimit_EvenWithItsOwnTimeoutOff()
    {
        await using var session = fixture.Engine.CreateSession();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var run = await session.StartRunAsync(RunExtensions.Request("forever.sql", "SET statement_timeout = 0;\nSELECT pg_sleep(600);") with
        {
            Limits = new() { WallTime = TimeSpan.FromSeconds(2) },
        });
        var result = await run.CollectAsync();
        Assert.True(result.Verdict.TimedOut, result.ToString());
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(8));

        var next = await session.RunAsync("next.sql", "SELECT 'still here' AS status;");
        Assert.True(next.Verdict.Succeeded, next.ToString());
        Assert.Contains("still here", next.Stdout);
    }

    [Fact]
    public async Task HugeResult_IsCapped_WithAMessage()
    {
        await using var session = fixture.Engine.CreateSession();
        var result = await session.RunAsync("big.sql", "SELECT g AS n FROM generate_series(1, 200000) g;");
        Assert.True(result.Verdict.Succeeded, result.ToString());
        var lines = result.Stdout.Split('\n');
        Assert.Contains(" 1000", lines);
        Assert.DoesNotContain(" 1001", lines);
        Assert.Contains("(the first 1000 rows; the result has more, which are not shown)", result.Stdout);
    }

    [Fact]
    public async Task NothingIsLeft_AfterTheSession()
    {
        var session = fixture.Engine.CreateSession();
        Assert.True((await session.RunAsync("t.sql", "CREATE TABLE t (x int);")).Verdict.Succeeded);
        var name = Database(session).Name;
        Assert.Equal([name, name], (await Server.SessionDatabasesAsync(default)).Where(n => n == name)); // its database and its role
        await session.DisposeAsync();
        Assert.DoesNotContain(name, await Server.SessionDatabasesAsync(default));
    }

    [Fact]
    public async Task Sweeper_DropsTheDatabaseOfASessionThatIsGone()
    {
        var orphan = await Server.CreateDatabaseAsync("0rphan" + Guid.NewGuid().ToString("N")[..6], default);
        await orphan.DisposeAsync();
        Assert.Contains(orphan.Name, await Server.SessionDatabasesAsync(default));
        await fixture.Internal.SweepAsync(default);
        Assert.DoesNotContain(orphan.Name, await Server.SessionDatabasesAsync(default));
    }

    [Fact]
    public async Task NetworkModeProgram_CannotReachTheSqlServer()
    {
        await using var session = fixture.Engine.CreateSession();
        Assert.True((await session.RunAsync("warm.sql", "SELECT 1;")).Verdict.Succeeded);
        var host = Server.Host ?? throw new InvalidOperationException("The SQL server has no address.");
        var probe = $"""
            import socket
            try:
                socket.create_connection(("{host}", 5432), timeout=3).close()
                print("reached")
            except OSError as e:
                print("refused:", type(e).__name__)
            """;
        var result = await session.RunAsync("probe.py", probe, RunMode.Network);
        Assert.True(result.Verdict.Succeeded, result.ToString());
        Assert.StartsWith("refused:", result.Stdout);
        var fast = await session.RunAsync("probe.py", probe);
        Assert.StartsWith("refused:", fast.Stdout);
    }

    [Fact]
    public async Task TestCases_OnASqlFile_AreRefusedWithAReason()
    {
        await using var session = fixture.Engine.CreateSession();
        var refused = await Assert.ThrowsAsync<InvalidRunRequestException>(() => session.RunTestsAsync(new CodeRunner.Engine.Testing.TestRunRequest
        {
            Files = [SourceFile.Text("q.sql", "SELECT 1;")],
            EntryFile = "q.sql",
            Cases = [new CodeRunner.Engine.Testing.TestCase { Name = "one", ExpectedOutput = "1" }],
        }));
        Assert.Contains("Test cases cannot check SQL", refused.Message);
    }

    private static SessionDatabase Database(IEngineSession session) =>
        ((EngineSession)session).SqlDatabase ?? throw new InvalidOperationException("The session has made no database.");
}

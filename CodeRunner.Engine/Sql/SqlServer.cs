using System.Net.Sockets;
using System.Security.Cryptography;
using CodeRunner.Engine.Docker;
using CodeRunner.Engine.Runtimes;
using Microsoft.Extensions.Logging;
using Npgsql;
using Polly;
using Polly.Retry;

namespace CodeRunner.Engine.Sql;

/// <summary>
/// The PostgreSQL server behind SQL runs: one container of the <c>postgres</c> runtime's image, started when the first
/// SQL run needs it (or when the pools warm), on a Docker network of its own that no program's container ever joins.
/// The engine reaches it at its address on that network, as the role <c>coderunner</c> whose password it makes up at
/// each start. Each session gets a database and a role of the same name, which may only log in to that database.
/// </summary>
internal sealed class SqlServer : IAsyncDisposable
{
    /// <summary>Session databases and roles are named this, then the session's id.</summary>
    public const string NamePrefix = "s_";

    private const string AdminRole = "coderunner";
    private const int Port = 5432;

    private readonly IContainerOperations _containers;
    private readonly INetworkOperations _networks;
    private readonly EngineLabels _labels;
    private readonly SqlOptions _options;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ResiliencePipeline _untilReady;
    private Server? _server;
    private int _generation;
    private int _disposed;

    public SqlServer(Runtime runtime, IContainerOperations containers, INetworkOperations networks, EngineLabels labels, SqlOptions options, ILogger logger)
    {
        Runtime = runtime;
        _containers = containers;
        _networks = networks;
        _labels = labels;
        _options = options;
        _logger = logger;
        _untilReady = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<NpgsqlException>(ex => ex.IsTransient || ex.InnerException is SocketException)
                    .Handle<SocketException>().Handle<TimeoutException>(),
                BackoffType = DelayBackoffType.Constant,
                Delay = TimeSpan.FromMilliseconds(100),
                MaxRetryAttempts = int.MaxValue,
            })
            .AddTimeout(options.StartTimeout)
            .Build();
    }

    public Runtime Runtime { get; }

    /// <summary>A running server: its container, its network, and the engine's own connection to it.</summary>
    private sealed record Server(string ContainerId, string NetworkId, string Host, NpgsqlDataSource Admin, int Generation);

    /// <summary>Starts the server if it is not running; the pools' warm-up calls it so that the first SQL run need not wait.</summary>
    /// <exception cref="SqlUnavailableException">It could not be started.</exception>
    public async Task WarmAsync(CancellationToken cancellationToken)
    {
        await StartedAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Makes the session's database and its role, which owns it and may log in to nothing else.</summary>
    /// <exception cref="SqlUnavailableException">The server could not be started or reached.</exception>
    public async Task<SessionDatabase> CreateDatabaseAsync(string sessionId, CancellationToken cancellationToken)
    {
        var server = await StartedAsync(cancellationToken).ConfigureAwait(false);
        var name = NamePrefix + sessionId;
        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        try
        {
            await ExecuteAsync(server.Admin, $"""
                DROP DATABASE IF EXISTS "{name}" WITH (FORCE);
                DROP ROLE IF EXISTS "{name}";
                CREATE ROLE "{name}" LOGIN PASSWORD '{password}' NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS CONNECTION LIMIT 8;
                ALTER ROLE "{name}" SET work_mem = '{_options.WorkMemMb}MB';
                ALTER ROLE "{name}" SET temp_file_limit = '{_options.TempFileLimitMb}MB';
                """, cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(server.Admin, $"""CREATE DATABASE "{name}" OWNER "{name}" """, cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(server.Admin, $"""REVOKE ALL ON DATABASE "{name}" FROM PUBLIC""", cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException ex) when (ex is not PostgresException)
        {
            Lost(server);
            throw new SqlUnavailableException($"The SQL server stopped answering ({ex.Message}); the next run starts it again.", ex);
        }

        var connection = new NpgsqlConnectionStringBuilder
        {
            Host = server.Host,
            Port = Port,
            Database = name,
            Username = name,
            Password = password,
            Pooling = true,
            MaxPoolSize = 4,
            ConnectionIdleLifetime = 60,
            Timeout = 10,
            ApplicationName = "coderunner-run",
        };
        return new SessionDatabase(name, NpgsqlDataSource.Create(connection.ConnectionString), server.Generation);
    }

    /// <summary>Whether a database was made by the server as it runs now, rather than by one that has since stopped.</summary>
    public bool IsCurrent(SessionDatabase database) => Volatile.Read(ref _server)?.Generation == database.Generation;

    /// <summary>Drops the session's database and role; nothing of them is left. Never throws but for cancellation.</summary>
    public async Task DropAsync(SessionDatabase database, CancellationToken cancellationToken = default)
    {
        await database.DisposeAsync().ConfigureAwait(false);
        var server = Volatile.Read(ref _server);
        if (server is null || server.Generation != database.Generation)
        {
            return; // the server it lived on is gone, and it with it
        }

        await DropAsync(server, database.Name, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Drops the databases of sessions that are gone without dropping theirs (a crash of the session's code).</summary>
    public async Task SweepAsync(IReadOnlySet<string> liveSessions, CancellationToken cancellationToken)
    {
        var server = Volatile.Read(ref _server);
        if (server is null)
        {
            return;
        }

        try
        {
            var names = await NamesAsync(server.Admin, "SELECT rolname FROM pg_roles WHERE starts_with(rolname, $1)", cancellationToken)
                .ConfigureAwait(false);
            foreach (var name in names.Where(n => !liveSessions.Contains(n[NamePrefix.Length..])))
            {
                await DropAsync(server, name, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (NpgsqlException ex)
        {
            Log.SqlSweepFailed(_logger, ex.Message);
        }
    }

    /// <summary>What the server runs now, for tests and the admin page: its address on its network, or null.</summary>
    internal string? Host => Volatile.Read(ref _server)?.Host;

    internal string? ContainerId => Volatile.Read(ref _server)?.ContainerId;

    /// <summary>The databases of sessions on the server now.</summary>
    internal async Task<IReadOnlyList<string>> SessionDatabasesAsync(CancellationToken cancellationToken)
    {
        var server = await StartedAsync(cancellationToken).ConfigureAwait(false);
        return await NamesAsync(server.Admin,
            "SELECT datname FROM pg_database WHERE starts_with(datname, $1) UNION ALL SELECT rolname FROM pg_roles WHERE starts_with(rolname, $1)",
            cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (Interlocked.Exchange(ref _server, null) is { } server)
            {
                await RemoveAsync(server).ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task DropAsync(Server server, string name, CancellationToken cancellationToken)
    {
        try
        {
            await ExecuteAsync(server.Admin, $"""DROP DATABASE IF EXISTS "{name}" WITH (FORCE)""", cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(server.Admin, $"""DROP ROLE IF EXISTS "{name}" """, cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException ex)
        {
            Log.SqlDropFailed(_logger, name, ex.Message);
        }
    }

    private async Task<Server> StartedAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (Volatile.Read(ref _server) is { } running)
        {
            return running;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            if (Volatile.Read(ref _server) is { } started)
            {
                return started;
            }

            if (Runtime.ImageMissing)
            {
                throw new SqlUnavailableException(Runtime.ImageProblem ?? $"The image {Runtime.Image} for SQL is missing.");
            }

            var server = await StartAsync(cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _server, server);
            return server;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<Server> StartAsync(CancellationToken cancellationToken)
    {
        var suffix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var networkName = $"coderunner-sql-{suffix}";
        var labels = _labels.For(Labels.RoleSql, pool: Runtime.Name);
        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        string? networkId = null;
        string? containerId = null;
        try
        {
            // Internal: the server has no route out, and only the engine's host reaches it.
            networkId = await _networks.CreateAsync(networkName, labels, subnet: null, bridgeName: null, isInternal: true, cancellationToken)
                .ConfigureAwait(false);
            var container = await _containers.RunAsync(new ContainerSpec
            {
                Image = Runtime.Image,
                Labels = labels,
                NetworkMode = networkName,
                AttachStdio = false,
                ReadOnlyRootFilesystem = true,
                Tmpfs = new Dictionary<string, string>
                {
                    ["/run/pg"] = $"rw,nosuid,nodev,size={_options.StorageMb}m,mode=1777",
                    ["/tmp"] = "rw,nosuid,nodev,size=64m,mode=1777",
                },
                NanoCpus = (long)(_options.ServerCpus * 1e9),
                MemoryBytes = _options.ServerMemoryMb * 1024L * 1024,
                PidsLimit = 512,
                Environment = new Dictionary<string, string> { ["CODERUNNER_PG_PASSWORD"] = password },
            }, cancellationToken).ConfigureAwait(false);
            containerId = container.Id;
            var host = await _containers.GetAddressAsync(container.Id, networkName, cancellationToken).ConfigureAwait(false)
                ?? throw new SqlUnavailableException($"The SQL server's container has no address on {networkName}.");
            var admin = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder
            {
                Host = host,
                Port = Port,
                Database = "postgres",
                Username = AdminRole,
                Password = password,
                Pooling = true,
                MaxPoolSize = 8,
                Timeout = 5,
                ApplicationName = "coderunner-engine",
            }.ConnectionString);
            try
            {
                await _untilReady.ExecuteAsync(async token =>
                {
                    var connection = await admin.OpenConnectionAsync(token).ConfigureAwait(false);
                    await connection.DisposeAsync().ConfigureAwait(false);
                }, cancellationToken).ConfigureAwait(false);

                // No session role may connect to the server's own databases; each may connect to its own alone.
                await ExecuteAsync(admin, """
                    REVOKE ALL ON DATABASE postgres FROM PUBLIC;
                    REVOKE ALL ON DATABASE template1 FROM PUBLIC;
                    """, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await admin.DisposeAsync().ConfigureAwait(false);
                throw;
            }

            var generation = Interlocked.Increment(ref _generation);
            Log.SqlServerStarted(_logger, container.Id[..12], host);
            return new Server(container.Id, networkId, host, admin, generation);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await RemoveAsync(containerId, networkId).ConfigureAwait(false);
            throw ex as SqlUnavailableException
                ?? new SqlUnavailableException($"The SQL server could not be started: {ex.GetBaseException().Message}", ex);
        }
    }

    /// <summary>The server stopped answering: forget it, so that the next run starts a new one.</summary>
    private void Lost(Server server)
    {
        if (Interlocked.CompareExchange(ref _server, null, server) == server)
        {
            Log.SqlServerLost(_logger, server.ContainerId[..12]);
            _ = RemoveAsync(server);
        }
    }

    private async Task RemoveAsync(Server server)
    {
        await server.Admin.DisposeAsync().ConfigureAwait(false);
        await RemoveAsync(server.ContainerId, server.NetworkId).ConfigureAwait(false);
    }

    private async Task RemoveAsync(string? containerId, string? networkId)
    {
        try
        {
            if (containerId is not null)
            {
                await _containers.RemoveAsync(containerId, CancellationToken.None).ConfigureAwait(false);
            }

            if (networkId is not null)
            {
                await _networks.RemoveAsync(networkId, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (DockerUnavailableException ex)
        {
            Log.SqlDropFailed(_logger, containerId ?? networkId ?? "", ex.Message); // the sweeper removes them once Docker is back
        }
    }

    private static async Task ExecuteAsync(NpgsqlDataSource source, string sql, CancellationToken cancellationToken)
    {
        var command = source.CreateCommand(sql);
        await using (command.ConfigureAwait(false))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The first column of a query whose one parameter is <see cref="NamePrefix"/>.</summary>
    private static async Task<List<string>> NamesAsync(NpgsqlDataSource source, string sql, CancellationToken cancellationToken)
    {
        var command = source.CreateCommand(sql);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.AddWithValue(NamePrefix);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var names = new List<string>();
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    names.Add(reader.GetString(0));
                }

                return names;
            }
        }
    }
}

/// <summary>A session's database: its name (also its role's), and connections to it as that role.</summary>
internal sealed class SessionDatabase(string name, NpgsqlDataSource source, int generation) : IAsyncDisposable
{
    public string Name { get; } = name;
    public NpgsqlDataSource Source { get; } = source;
    public int Generation { get; } = generation;

    public ValueTask DisposeAsync() => Source.DisposeAsync();
}

/// <summary>The SQL server cannot be used now; the message says why, in a sentence a person can act on.</summary>
public sealed class SqlUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

using System.Diagnostics;
using System.Text;
using System.Threading.Channels;
using CodeRunner.Engine.Runs;
using Npgsql;

namespace CodeRunner.Engine.Sql;

/// <summary>
/// A <c>.sql</c> file run against the session's database: its statements one by one, each result printed as psql prints
/// it, until the end or the first error (the statements before it keep their effect). The whole run has the time limit
/// of any run: past it, the statement running is cancelled on the server. It reads no input.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001",
    Justification = "As with Run: the UI may call Stop on a handle long after its run ended, and its token source holds no timer or wait handle.")]
internal sealed class SqlRun : IRunHandle, IRunProgress
{
    /// <summary>The SQLSTATE of a statement the server cancelled (ours: the time limit, or Stop).</summary>
    private const string QueryCanceled = "57014";

    private readonly Channel<ConsoleEvent> _events = Channel.CreateUnbounded<ConsoleEvent>(new() { SingleReader = true });
    private readonly TaskCompletionSource<RunVerdict> _verdict = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly RunPlan _plan;
    private readonly string _script;
    private readonly int _maxRows;
    private long _outputBytes;

    public SqlRun(RunPlan plan, int maxRows)
    {
        _plan = plan;
        _maxRows = maxRows;
        _script = Encoding.UTF8.GetString(plan.Files.First(f => f.Path == plan.EntryFile).Content.Span);
        Id = Guid.NewGuid().ToString("N")[..12];
    }

    public string Id { get; }
    public string Language => _plan.Language.Id;
    public string EntryFile => _plan.EntryFile;
    public ChannelReader<ConsoleEvent> Events => _events.Reader;
    public Task<RunVerdict> Completion => _verdict.Task;
    public CancellationToken StopToken => _stop.Token;

    /// <summary>SQL reads no input: what is typed is dropped.</summary>
    public ValueTask WriteStdinAsync(string text, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask CloseStdinAsync(CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public async ValueTask StopAsync(CancellationToken cancellationToken = default) => await _stop.CancelAsync().ConfigureAwait(false);

    public void System(string text) => _events.Writer.TryWrite(new ConsoleEvent(ConsoleStream.System, text));

    public void Status(string text) => _events.Writer.TryWrite(new ConsoleEvent(ConsoleStream.Status, text));

    void IRunProgress.Say(string message) => System(message);

    /// <summary>Runs the script; <paramref name="database"/> gives the session's database, made on its first SQL run.</summary>
    public async Task ExecuteAsync(Func<CancellationToken, Task<SessionDatabase>> database)
    {
        var watch = Stopwatch.StartNew();
        using var timeout = new CancellationTokenSource(_plan.Timeout);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, timeout.Token);
        var exitCode = 0;
        var outputLimit = false;
        string? error = null;
        try
        {
            var db = await database(cancel.Token).ConfigureAwait(false);
            var connection = await db.Source.OpenConnectionAsync(cancel.Token).ConfigureAwait(false);
            await using var closing = connection.ConfigureAwait(false);
            foreach (var statement in SqlScript.Split(_script))
            {
                if (statement.IsMetaCommand)
                {
                    var (line, _) = SqlScript.LineAndColumn(_script, statement.Offset);
                    var command = statement.Text.Split(' ', 2)[0];
                    Write(ConsoleStream.Stderr, $"{EntryFile}:{line}: {command} is a command of the psql program, which runs no SQL here; " +
                        "write SQL statements only (psql's backslash commands, such as \\! or \\c, are not available).\n");
                    exitCode = 1;
                    break;
                }

                string output;
                try
                {
                    output = await ExecuteAsync(connection, statement, cancel.Token).ConfigureAwait(false);
                }
                catch (PostgresException ex) when (ex.SqlState != QueryCanceled || !cancel.IsCancellationRequested)
                {
                    Write(ConsoleStream.Stderr, SqlOutput.Error(EntryFile, _script, statement, ex.Severity, ex.MessageText, ex.Position, ex.Detail, ex.Hint));
                    exitCode = 1;
                    break;
                }

                if (!Write(ConsoleStream.Stdout, output))
                {
                    outputLimit = true;
                    break;
                }
            }
        }
        catch (Exception ex) when (cancel.IsCancellationRequested && ex is OperationCanceledException or NpgsqlException)
        {
            exitCode = 1;
        }
        catch (SqlUnavailableException ex)
        {
            error = ex.Message;
        }
        catch (NpgsqlException ex)
        {
            error = $"The SQL server could not run this: {ex.Message}. Run it again; if this goes on, tell whoever runs the server.";
        }

        var timedOut = timeout.IsCancellationRequested && !_stop.IsCancellationRequested;
        Complete(new RunVerdict
        {
            ExitCode = error is null ? exitCode : null,
            WallTime = watch.Elapsed,
            TimedOut = timedOut,
            Stopped = _stop.IsCancellationRequested,
            OutputLimitExceeded = outputLimit,
            Error = error,
        });
    }

    /// <summary>Publishes the verdict after the last output, and ends the event stream.</summary>
    public void Complete(RunVerdict verdict)
    {
        _events.Writer.TryComplete();
        _verdict.TrySetResult(verdict);
    }

    private async Task<string> ExecuteAsync(NpgsqlConnection connection, SqlStatement statement, CancellationToken cancellationToken)
    {
        // Text for every column: each value exactly as the server writes it, as psql shows it.
        var command = new NpgsqlCommand(statement.Text, connection) { AllResultTypesAreUnknown = true, CommandTimeout = 0 };
        await using var commandDisposal = command.ConfigureAwait(false);
        var text = new StringBuilder();
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerDisposal = reader.ConfigureAwait(false);
        var columns = reader.FieldCount;
        if (columns > 0)
        {
            var names = Enumerable.Range(0, columns).Select(reader.GetName).ToList();
            var types = Enumerable.Range(0, columns).Select(reader.GetDataTypeName).ToList();
            var rows = new List<string?[]>();
            var more = false;
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (rows.Count == _maxRows)
                {
                    more = true;
                    break;
                }

                var row = new string?[columns];
                for (var c = 0; c < columns; c++)
                {
                    row[c] = await reader.IsDBNullAsync(c, cancellationToken).ConfigureAwait(false) ? null : reader.GetString(c);
                }

                rows.Add(row);
            }

            text.Append(SqlOutput.Table(names, types, rows, more));
        }

        while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false))
        {
            // One statement has one result; this reads to its end, so that its row count is known.
        }

        if (columns == 0)
        {
            text.Append(SqlOutput.CommandTag(statement.Text, reader.RecordsAffected)).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Sends output while the run is under its output limit; false (with what fits) once it is past it.</summary>
    private bool Write(ConsoleStream stream, string text)
    {
        var bytes = Encoding.UTF8.GetByteCount(text);
        var limit = _plan.Limits.OutputLimit;
        if (_outputBytes + bytes > limit)
        {
            var room = (int)Math.Max(0, Math.Min(text.Length, limit - _outputBytes));
            if (room > 0)
            {
                _events.Writer.TryWrite(new ConsoleEvent(stream, text[..room]));
            }

            _outputBytes = limit;
            return false;
        }

        _outputBytes += bytes;
        _events.Writer.TryWrite(new ConsoleEvent(stream, text));
        return true;
    }
}

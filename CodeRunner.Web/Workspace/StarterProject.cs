using CodeRunner.Engine;

namespace CodeRunner.Web.Workspace;

/// <summary>
/// The project a first visit starts with: a welcome, the examples of every language the engine runs (from its
/// runtimes' <c>examples/</c> folders, each under <c>&lt;language id&gt;/</c>), and a network-mode pair.
/// </summary>
public sealed class StarterProject
{
    public const string FirstFile = "README.md";
    private const string AskName = "python/ask_name.py";

    public StarterProject(IExecutionEngine engine)
    {
        var languages = engine.Languages;
        var examples = languages
            .SelectMany(l => l.Examples.Select(e => (Path: $"{l.Id}/{e.Path}", e.Content)))
            .Where(e => e.Path != FirstFile && !NetworkPair.Any(n => n.Path == e.Path))
            .ToList();
        Files =
        [
            (FirstFile, AsSaved(Welcome(languages, examples.Any(e => e.Path == AskName)))),
            .. examples,
            .. NetworkPair.Select(f => (f.Path, AsSaved(f.Content))),
        ];
    }

    /// <summary>Every file, with its text as it is saved.</summary>
    public IReadOnlyList<(string Path, string Content)> Files { get; }

    public void Seed(Project project)
    {
        project.Clear();
        project.Import(Files);
    }

    /// <summary>True when <paramref name="files"/> are the starter project's, unchanged: nobody's own work.</summary>
    public bool IsUntouched(IReadOnlyDictionary<string, string> files) =>
        files.Count == Files.Count && Files.All(f => files.TryGetValue(f.Path, out var text) && text == f.Content);

    private static string Welcome(IReadOnlyList<LanguageInfo> languages, bool askName)
    {
        var runs = string.Join("\n", languages.Select(l =>
            $"- **{l.DisplayName}**: {string.Join(", ", l.Extensions.Select(e => $"`{e}`"))} files" + (l.Examples.Count > 0 ? $", examples in `{l.Id}/`" : "")));
        var ask = askName ? $"- `{AskName}` asks for your name: answer it in its console.\n" : "";
        return $"""
            # Welcome to CodeRunner

            Open a file on the left and press **Run** (or Ctrl+Enter). Its output appears in a console named
            after the file; type into the line under the console to answer `input()`.

            This server runs:

            {runs}

            {ask}- `network/server.py` and `network/client.py` talk to each other. Switch on network mode (the Wifi
              button), run `server.py`, then run `client.py` while the server waits.

            Your files live in this browser only. Use the download button in the explorer to keep a zip.
            """;
    }

    private static string AsSaved(string content) => content.ReplaceLineEndings("\n") + "\n";

    private static readonly (string Path, string Content)[] NetworkPair =
    [
        ("network/server.py", """
            # Network mode: every run of this session shares one localhost, so client.py can reach this server.
            import socket

            with socket.socket() as server:
                server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                server.bind(("127.0.0.1", 5000))
                server.listen()
                print("server: listening on 127.0.0.1:5000, now run client.py")
                connection, _ = server.accept()
                with connection:
                    message = connection.recv(1024).decode()
                    print(f"server: got {message!r}")
                    connection.sendall(message.upper().encode())
            print("server: done")
            """),
        ("network/client.py", """
            # Run server.py first, in network mode; then run this file.
            import socket
            import time

            for attempt in range(20):
                try:
                    client = socket.create_connection(("127.0.0.1", 5000))
                    break
                except ConnectionRefusedError:
                    time.sleep(0.25)
            else:
                raise SystemExit("client: no server on 127.0.0.1:5000 (is network mode on, and server.py running?)")

            with client:
                client.sendall(b"hello server")
                print(f"client: the server answered {client.recv(1024).decode()!r}")
            """),
    ];
}

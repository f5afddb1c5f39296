namespace CodeRunner.Web.Workspace;

/// <summary>The project a first visit starts with: one example per language, input, and a network-mode pair.</summary>
public static class StarterProject
{
    public const string FirstFile = "README.md";

    public static IReadOnlyList<(string Path, string Content)> Files { get; } =
    [
        ("README.md", """
            # Welcome to CodeRunner

            Open a file on the left and press **Run** (or Ctrl+Enter). Its output appears in a console named
            after the file; type into the line under the console to answer `input()`.

            - `python/ask_name.py` asks for your name: answer it in its console.
            - `network/server.py` and `network/client.py` talk to each other. Switch on network mode (the Wifi
              button), run `server.py`, then run `client.py` while the server waits.

            Your files live in this browser only. Use the download button in the explorer to keep a zip.
            """),
        ("python/hello.py", """
            for i in range(1, 4):
                print(f"Hello from Python, line {i}")
            """),
        ("python/ask_name.py", """
            name = input("What is your name? ")
            print(f"Nice to meet you, {name}!")
            """),
        ("javascript/hello.js", """
            const langs = ["Python", "JavaScript", "C", "C++", "Java"];
            console.log(`CodeRunner runs ${langs.length} languages: ${langs.join(", ")}`);
            """),
        ("c/hello.c", """
            #include <stdio.h>

            int main(void) {
                printf("Hello from C\n");
                return 0;
            }
            """),
        ("cpp/hello.cpp", """
            #include <iostream>

            int main() {
                std::cout << "Hello from C++" << std::endl;
                return 0;
            }
            """),
        ("java/Main.java", """
            public class Main {
                public static void main(String[] args) {
                    System.out.println("Hello from Java");
                }
            }
            """),
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

    public static void Seed(Project project)
    {
        project.Clear();
        project.Import(Files.Select(f => (f.Path, AsSaved(f.Content))));
    }

    /// <summary>True when <paramref name="files"/> are the starter project's, unchanged: nobody's own work.</summary>
    public static bool IsUntouched(IReadOnlyDictionary<string, string> files) =>
        files.Count == Files.Count && Files.All(f => files.TryGetValue(f.Path, out var text) && text == AsSaved(f.Content));

    private static string AsSaved(string content) => content.ReplaceLineEndings("\n") + "\n";
}

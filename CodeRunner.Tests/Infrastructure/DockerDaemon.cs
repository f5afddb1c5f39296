using System.Diagnostics;

namespace CodeRunner.Tests.Infrastructure;

/// <summary>Fault injection from outside the engine, the way an operator or a crash would do it.</summary>
public static class DockerDaemon
{
    /// <summary>Restarts the Docker engine the way it was started: systemd, or a background dockerd as scripts/ do.</summary>
    public static async Task RestartAsync()
    {
        if (await ShellAsync("systemctl is-active --quiet docker") == 0)
        {
            Assert.Equal(0, await ShellAsync("systemctl restart docker"));
        }
        else
        {
            Assert.Equal(0, await ShellAsync("pkill -TERM -x dockerd"));
            var stopped = Stopwatch.StartNew();
            while (await ShellAsync("pgrep -x dockerd") == 0)
            {
                Assert.True(stopped.Elapsed < TimeSpan.FromSeconds(60), "dockerd did not stop");
                await Task.Delay(200);
            }

            var log = Path.Combine(RepositoryRoot(), ".coderunner", "dockerd.log");
            Directory.CreateDirectory(Path.GetDirectoryName(log)!);
            Assert.Equal(0, await ShellAsync($"setsid nohup dockerd >>'{log}' 2>&1 </dev/null &"));
        }

        var started = Stopwatch.StartNew();
        while (await ShellAsync("docker version --format '{{.Server.Version}}'") != 0)
        {
            Assert.True(started.Elapsed < TimeSpan.FromSeconds(60), "dockerd did not come back");
            await Task.Delay(200);
        }
    }

    /// <summary>Kills a container from outside, as `docker kill` would.</summary>
    public static async Task KillContainerAsync(string id) => Assert.Equal(0, await ShellAsync($"docker kill {id} >/dev/null"));

    public static async Task<bool> ContainerExistsAsync(string id) => await ShellAsync($"docker inspect {id} >/dev/null 2>&1") == 0;

    public static async Task<int> ShellAsync(string command)
    {
        using var process = Process.Start(new ProcessStartInfo("bash", ["-c", command])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        await process.WaitForExitAsync();
        return process.ExitCode;
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CodeRunner.Blazor.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root was not found.");
    }
}

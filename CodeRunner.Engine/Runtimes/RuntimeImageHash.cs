using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace CodeRunner.Engine.Runtimes;

/// <summary>
/// The hash an image is labelled with (<c>coderunner.hash</c>). It must equal what scripts/lib/ensure-images.sh
/// computes: sha256 over "sha256  path" lines for every file of the given folders of runtimes/, sorted bytewise,
/// leaving out each folder's <c>examples/</c>, which the starter project reads and no image holds; for a runtime
/// whose folder has a <c>prepare</c> hook (runtimes/csharp stages the machine's .NET SDK into its build), followed by
/// a line "prepare &lt;what <c>prepare stamp</c> prints&gt;".
/// </summary>
internal static class RuntimeImageHash
{
    public const string PrepareHook = "prepare";

    private static readonly TimeSpan StampTimeout = TimeSpan.FromSeconds(30);

    public static string Compute(string runtimesPath, params string[] folders) => Hash(Listing(runtimesPath, folders));

    /// <summary>The hash of a runtime's image: the agent's folder and the runtime's, and its prepare hook's stamp when it has one.</summary>
    public static string ForRuntime(string runtimesPath, string agentFolder, string folder)
    {
        var listing = Listing(runtimesPath, agentFolder, folder);
        var hook = Path.Combine(runtimesPath, folder, PrepareHook);
        return File.Exists(hook) ? Hash(listing.Append("prepare ").Append(Stamp(hook)).Append('\n')) : Hash(listing);
    }

    private static StringBuilder Listing(string runtimesPath, params string[] folders)
    {
        var files = folders
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(runtimesPath, folder), "*", SearchOption.AllDirectories)
                .Select(path => Path.GetRelativePath(runtimesPath, path).Replace('\\', '/'))
                .Where(path => !path.StartsWith($"{folder}/{RuntimeExamples.Folder}/", StringComparison.Ordinal)))
            .Order(StringComparer.Ordinal);
        var listing = new StringBuilder();
        foreach (var file in files)
        {
            var bytes = File.ReadAllBytes(Path.Combine(runtimesPath, file));
            listing.Append(Convert.ToHexStringLower(SHA256.HashData(bytes))).Append("  ").Append(file).Append('\n');
        }

        return listing;
    }

    private static string Hash(StringBuilder listing) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(listing.ToString())));

    /// <summary>
    /// What <c>prepare stamp</c> prints, without its trailing newlines (as the shell's <c>$(…)</c> takes it). When the
    /// hook fails (no SDK on this machine), the reason stands in, so the hash names no image that was built, and the
    /// image is reported missing.
    /// </summary>
    private static string Stamp(string hook)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(hook, ["stamp"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            }) ?? throw new InvalidOperationException("it did not start");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(StampTimeout))
            {
                process.Kill(entireProcessTree: true);
                return $"unavailable: {hook} stamp took longer than {StampTimeout.TotalSeconds} s";
            }

            return process.ExitCode == 0
                ? stdout.GetAwaiter().GetResult().TrimEnd('\n')
                : $"unavailable: {stderr.GetAwaiter().GetResult().Trim()}";
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return $"unavailable: {hook} stamp: {ex.Message}";
        }
    }
}

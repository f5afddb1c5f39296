using System.Security.Cryptography;
using System.Text;

namespace CodeRunner.Engine.Runtimes;

/// <summary>
/// The hash an image is labelled with (<c>coderunner.hash</c>). It must equal what scripts/lib/ensure-images.sh
/// computes: sha256 over "sha256  path" lines for every file of the given folders of runtimes/, sorted bytewise,
/// leaving out each folder's <c>examples/</c>, which the starter project reads and no image holds.
/// </summary>
internal static class RuntimeImageHash
{
    public static string Compute(string runtimesPath, params string[] folders)
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

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(listing.ToString())));
    }
}

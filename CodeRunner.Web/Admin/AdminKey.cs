using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace CodeRunner.Web.Admin;

/// <summary>The configured <c>Admin:Key</c>, compared in constant time with what a request presents as <c>Authorization: Bearer</c>.</summary>
public sealed class AdminKey(IOptions<AdminOptions> options)
{
    private readonly byte[]? _key = options.Value.Enabled ? Encoding.UTF8.GetBytes(options.Value.Key!) : null;

    public bool Enabled => _key is not null;

    public bool IsPresentedBy(HttpRequest request)
    {
        if (_key is null)
        {
            return false;
        }

        var header = request.Headers.Authorization.ToString();
        var given = header.StartsWith("Bearer ", StringComparison.Ordinal) ? Encoding.UTF8.GetBytes(header["Bearer ".Length..]) : [];
        return CryptographicOperations.FixedTimeEquals(given, _key);
    }
}

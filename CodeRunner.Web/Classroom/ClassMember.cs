using CodeRunner.Classroom.Accounts;
using Microsoft.AspNetCore.Components.Authorization;

namespace CodeRunner.Web.Classroom;

/// <summary>
/// The circuit's student, when the browser joined a class: read once from the user that opened the circuit, and
/// checked against the database, so that a removed student's old cookie gives nothing.
/// </summary>
public sealed class ClassMember(AuthenticationStateProvider authentication, IStudentAccounts accounts)
{
    private Task<StudentIdentity?>? _student;

    /// <summary>The student, or null in the anonymous single-browser mode.</summary>
    public Task<StudentIdentity?> GetAsync() => _student ??= FindAsync();

    private async Task<StudentIdentity?> FindAsync()
    {
        var state = await authentication.GetAuthenticationStateAsync();
        return StudentAuthentication.StudentOf(state.User) is { } claimed ? await accounts.FindAsync(claimed.StudentId) : null;
    }
}

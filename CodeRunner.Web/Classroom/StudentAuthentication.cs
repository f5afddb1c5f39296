using System.Security.Claims;
using CodeRunner.Classroom.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;

namespace CodeRunner.Web.Classroom;

/// <summary>
/// How a student stays signed in to their class: a cookie of its own scheme, apart from teachers' Identity cookie, so
/// that a browser can hold either or both. Its claims carry only ids and names; the PIN never leaves the join form.
/// </summary>
public static class StudentAuthentication
{
    public const string Scheme = "Student";
    public const string StudentIdClaim = "coderunner:student";
    public const string ClassIdClaim = "coderunner:class";
    public const string ClassNameClaim = "coderunner:class-name";
    public const string JoinCodeClaim = "coderunner:join-code";

    /// <summary>The policies pages and endpoints name: a signed-in teacher, or a signed-in student.</summary>
    public const string TeacherPolicy = "Teacher";
    public const string StudentPolicy = "Student";

    /// <summary>The policy of the admin page: a teacher who is the server's administrator (the first teacher).</summary>
    public const string AdministratorPolicy = "Administrator";

    /// <summary>The Identity claim, stored with the teacher's account, that makes a teacher an administrator.</summary>
    public const string AdministratorClaim = "coderunner:administrator";

    public static AuthenticationBuilder AddStudentCookie(this AuthenticationBuilder builder) =>
        builder.AddCookie(Scheme, options =>
        {
            options.Cookie.Name = "CodeRunner.Student";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.ExpireTimeSpan = TimeSpan.FromDays(30);
            options.SlidingExpiration = true;
            options.LoginPath = "/join";
            options.AccessDeniedPath = "/join";
        });

    public static ClaimsPrincipal Principal(StudentIdentity student) => new(new ClaimsIdentity(
    [
        new Claim(ClaimTypes.Name, student.StudentName),
        new Claim(StudentIdClaim, student.StudentId.ToString()),
        new Claim(ClassIdClaim, student.ClassId.ToString()),
        new Claim(ClassNameClaim, student.ClassName),
        new Claim(JoinCodeClaim, student.JoinCode),
    ], Scheme));

    /// <summary>The student a principal names, or null; a teacher's identity in the same principal is ignored.</summary>
    public static StudentIdentity? StudentOf(ClaimsPrincipal user)
    {
        var identity = user.Identities.FirstOrDefault(i => i.AuthenticationType == Scheme && i.IsAuthenticated);
        return identity is not null
               && Guid.TryParse(identity.FindFirst(StudentIdClaim)?.Value, out var student)
               && Guid.TryParse(identity.FindFirst(ClassIdClaim)?.Value, out var @class)
            ? new StudentIdentity(student, @class, identity.Name ?? "", identity.FindFirst(ClassNameClaim)?.Value ?? "",
                identity.FindFirst(JoinCodeClaim)?.Value ?? "")
            : null;
    }

    /// <summary>The teacher's Identity user id in a principal, or null.</summary>
    public static string? TeacherIdOf(ClaimsPrincipal user) =>
        user.Identities.FirstOrDefault(i => i.AuthenticationType == IdentityConstants.ApplicationScheme && i.IsAuthenticated)
            ?.FindFirst(ClaimTypes.NameIdentifier)?.Value;

    /// <summary>
    /// Adds the student's identity to the request's user, beside a teacher's if there is one, so that pages and the
    /// Blazor circuit (which keeps the user of the request that opened it) see both.
    /// </summary>
    public static IApplicationBuilder UseStudentIdentity(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var student = await context.AuthenticateAsync(Scheme);
        if (student.Succeeded && student.Principal?.Identity is ClaimsIdentity identity)
        {
            context.User.AddIdentity(identity);
        }

        await next();
    });
}

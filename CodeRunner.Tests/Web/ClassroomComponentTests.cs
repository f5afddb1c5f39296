using System.Security.Claims;
using Bunit;
using CodeRunner.Classroom;
using CodeRunner.Classroom.Accounts;
using CodeRunner.Classroom.Classes;
using CodeRunner.Classroom.Live;
using CodeRunner.Classroom.Model;
using CodeRunner.Classroom.Storage;
using CodeRunner.Web.Classroom;
using CodeRunner.Web.Components.Layout;
using CodeRunner.Web.Components.Teaching;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CodeRunner.Tests.Web;

/// <summary>The classroom's components on the real classroom services (a SQLite file of the test's own).</summary>
public sealed partial class ClassroomComponentTests : WebTestBase
{
    private readonly SignedIn _user = new();

    public ClassroomComponentTests()
    {
        Services.AddSingleton<AuthenticationStateProvider>(_user);
        Services.AddIdentityCore<Teacher>().AddEntityFrameworkStores<ClassroomDb>(); // as the web host adds them
    }

    private IClassService Classes => Services.GetRequiredService<IClassService>();
    private IStudentAccounts Accounts => Services.GetRequiredService<IStudentAccounts>();
    private IClassroomEvents Events => Services.GetRequiredService<IClassroomEvents>();

    private async Task<string> AddTeacherAsync(string name)
    {
        await Services.MigrateClassroomAsync();
        await using var db = await Services.GetRequiredService<IDbContextFactory<ClassroomDb>>().CreateDbContextAsync();
        var teacher = new Teacher { UserName = name, CreatedAt = DateTimeOffset.UtcNow };
        db.Users.Add(teacher);
        await db.SaveChangesAsync();
        return teacher.Id;
    }

    /// <summary>The circuit's user, as the cookies make it: Identity's for a teacher, the student scheme's for a student.</summary>
    private void SignIn(ClaimsPrincipal user) => _user.User = user;

    private void SignInTeacher(string teacherId) => SignIn(new ClaimsPrincipal(new ClaimsIdentity(
        [new Claim(ClaimTypes.NameIdentifier, teacherId), new Claim(ClaimTypes.Name, "teacher")], IdentityConstants.ApplicationScheme)));

    private void SignInStudent(StudentIdentity student) => SignIn(StudentAuthentication.Principal(student));

    private sealed class SignedIn : AuthenticationStateProvider
    {
        public ClaimsPrincipal User { get; set; } = new(new ClaimsIdentity());

        public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(User));
    }

    private async Task<(string Teacher, ClassSummary Class, StudentIdentity Ada, StudentIdentity Grace)> ClassOfTwoAsync()
    {
        var teacher = await AddTeacherAsync("teacher");
        var schoolClass = await Classes.CreateAsync(teacher, "Period 3");
        var ada = (await Accounts.JoinAsync(schoolClass.JoinCode, "Ada", "1234")).Student!;
        var grace = (await Accounts.JoinAsync(schoolClass.JoinCode, "Grace", "5678")).Student!;
        return (teacher, schoolClass, ada, grace);
    }

    [Fact]
    public async Task Roster_FollowsPresenceAndRunsLive_WithoutAReload()
    {
        var (teacher, schoolClass, ada, _) = await ClassOfTwoAsync();
        SignInTeacher(teacher);
        RenderProviders();
        var cut = Render<ClassPage>(p => p.Add(c => c.ClassId, schoolClass.Id));
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=roster-row]").Count));
        Assert.Equal(schoolClass.JoinCode, cut.Find("[data-testid=class-code]").TextContent);
        IElementAt Row() => new(cut, "[data-testid=roster-row][data-student=Ada]");

        using var online = Services.GetRequiredService<IClassPresence>().Connect(schoolClass.Id, ada.StudentId);
        cut.WaitForAssertion(() => Assert.Equal("true", Row().Get().GetAttribute("data-online")));
        var activity = Services.GetRequiredService<IStudentActivity>();
        using (Services.GetRequiredService<IClassPresence>().Running(schoolClass.Id, ada.StudentId, "hello.py"))
        {
            cut.WaitForAssertion(() => Assert.Equal("true", Row().Get().GetAttribute("data-running")));
            var run = await activity.RunStartedAsync(ada.StudentId, "hello.py");
            await activity.RunEndedAsync(run, "succeeded", "exit code 0 · 0.05 s");
        }

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("false", Row().Get().GetAttribute("data-running"));
            var verdict = Row().Get().QuerySelector("[data-testid=roster-last-verdict]")!;
            Assert.Equal("succeeded", verdict.GetAttribute("data-outcome"));
            Assert.Contains("hello.py", verdict.TextContent);
        });
    }

    [Fact]
    public async Task AnotherTeachersClass_ShowsNothingOfIt()
    {
        var (_, schoolClass, _, _) = await ClassOfTwoAsync();
        SignInTeacher(await AddTeacherAsync("other"));
        RenderProviders();

        var cut = Render<ClassPage>(p => p.Add(c => c.ClassId, schoolClass.Id));

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=class-problem]")));
        Assert.Empty(cut.FindAll("[data-testid=roster-row]"));
        Assert.DoesNotContain(schoolClass.JoinCode, cut.Markup);
    }

    [Fact]
    public async Task StudentsIde_ShowsTheClassAndTheirName_AndTheTeachersMessage()
    {
        var (teacher, schoolClass, ada, _) = await ClassOfTwoAsync();
        SignInStudent(ada);
        RenderProviders();
        var cut = Render<Ide>();
        cut.WaitForAssertion(() => Assert.Contains("Period 3 · Ada", cut.Find("[data-testid=class-badge]").TextContent));
        Assert.Empty(cut.FindAll("[data-testid=join-class-button]"));

        await Classes.SendBroadcastAsync(teacher, schoolClass.Id, "Pens down, please");

        cut.WaitForAssertion(() => Assert.Contains("Pens down, please", cut.Find("[data-testid=broadcast-banner]").TextContent));
    }

    [Fact]
    public async Task TeacherHome_NewClass_OpensItsPageWithAJoinCode()
    {
        SignInTeacher(await AddTeacherAsync("teacher"));
        RenderProviders();
        var cut = Render<TeacherHome>();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=new-class-button]")));

        await cut.Find("[data-testid=new-class-button]").ClickAsync(new Microsoft.AspNetCore.Components.Web.MouseEventArgs());
        cut.Find("[data-testid=class-name-input]").Input("Period 5");
        await cut.Find("[data-testid=class-create]").ClickAsync(new Microsoft.AspNetCore.Components.Web.MouseEventArgs());

        var navigation = Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>();
        var made = Assert.Single(await Classes.ListAsync(((ClaimsIdentity)_user.User.Identity!).FindFirst(ClaimTypes.NameIdentifier)!.Value));
        Assert.Equal("Period 5", made.Name);
        Assert.Matches("^[A-HJ-KM-NP-Z2-9]{8}$", made.JoinCode);
        Assert.EndsWith($"teacher/classes/{made.Id}", navigation.Uri);
    }

    [Fact]
    public async Task StudentView_ShowsTheStudentsSavedFiles_AndFollowsTheirSaves()
    {
        var (teacher, schoolClass, ada, _) = await ClassOfTwoAsync();
        var projects = Services.GetRequiredService<CodeRunner.Classroom.Projects.IStudentProjects>();
        await projects.SaveAsync(ada.StudentId, [new("main.py", "print(1)", 0)], [], [], "tab");
        SignInTeacher(teacher);
        RenderProviders();
        var cut = Render<StudentView>(p => p.Add(c => c.ClassId, schoolClass.Id).Add(c => c.StudentId, ada.StudentId));
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=student-file][data-path='main.py']")));
        Assert.Equal("Ada", cut.Find("[data-testid=student-view]").GetAttribute("data-student"));

        await projects.SaveAsync(ada.StudentId, [new("lab/next.py", "print(2)", 0)], [], [], "tab");

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=student-file][data-path='lab/next.py']")));
    }

    [Fact]
    public async Task AnonymousIde_OffersToJoinAClass()
    {
        RenderProviders();
        var cut = Render<Ide>();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=join-class-button]")));
        Assert.Empty(cut.FindAll("[data-testid=class-badge]"));
        await Task.CompletedTask;
    }

    /// <summary>An element found again at each look: the roster re-renders its rows.</summary>
    private readonly struct IElementAt(IRenderedComponent<ClassPage> cut, string selector)
    {
        public AngleSharp.Dom.IElement Get() => cut.Find(selector);
    }
}

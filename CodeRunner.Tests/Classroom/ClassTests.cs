using CodeRunner.Classroom;
using CodeRunner.Classroom.Classes;
using CodeRunner.Classroom.Live;
using CodeRunner.Classroom.Model;
using CodeRunner.Classroom.Storage;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CodeRunner.Tests.Classroom;

/// <summary>Classes, join codes, what a teacher may reach, the roster and broadcasts; run against each provider.</summary>
public abstract class ClassTests(ITestDatabases databases) : ClassroomTestBase(databases)
{
    [Fact]
    public async Task CreateClass_NewClass_GetsAnEightCharacterCodeFromTheAlphabet()
    {
        var (_, schoolClass) = await TeacherWithClassAsync();

        Assert.Equal(8, schoolClass.JoinCode.Length);
        Assert.All(schoolClass.JoinCode, c => Assert.Contains(c, JoinCodes.Alphabet));
        Assert.Equal(Start, schoolClass.CreatedAt);
    }

    [Fact]
    public void JoinCodeAlphabet_LookAlikes_AreLeftOut()
    {
        Assert.DoesNotContain(JoinCodes.Alphabet, c => "0O1IL".Contains(c));
        Assert.Equal(JoinCodes.Alphabet.Length, JoinCodes.Alphabet.Distinct().Count());
    }

    [Fact]
    public async Task CreateClass_ManyClasses_EachHasItsOwnCode()
    {
        var teacherId = await App.AddTeacherAsync();
        var codes = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            codes.Add((await App.Classes.CreateAsync(teacherId, $"class {i}")).JoinCode);
        }

        Assert.Equal(codes.Count, codes.Distinct().Count());
    }

    [Fact]
    public async Task CreateClass_CodeAlreadyTaken_DrawsAnother()
    {
        var (teacherId, first) = await TeacherWithClassAsync();
        var service = (ClassService)App.Classes;
        var draws = new Queue<string>([first.JoinCode, "ABCDEFGH"]);
        service.NewCode = draws.Dequeue;

        var second = await App.Classes.CreateAsync(teacherId, "8A");

        Assert.Equal("ABCDEFGH", second.JoinCode);
    }

    [Fact]
    public async Task JoinCode_TypedInLowerCaseWithSpaces_FindsTheClass()
    {
        var (_, schoolClass) = await TeacherWithClassAsync();
        var typed = $" {schoolClass.JoinCode[..4].ToLowerInvariant()} {schoolClass.JoinCode[4..].ToLowerInvariant()} ";

        var result = await App.Accounts.JoinAsync(typed, "Ana", "1234");

        Assert.Equal(schoolClass.Id, result.Student?.ClassId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task CreateClass_EmptyName_IsRefused(string name)
    {
        var teacherId = await App.AddTeacherAsync();

        await Assert.ThrowsAsync<ClassroomException>(() => App.Classes.CreateAsync(teacherId, name));
    }

    [Fact]
    public async Task CreateClass_NameOver80Characters_IsRefused()
    {
        var teacherId = await App.AddTeacherAsync();

        await Assert.ThrowsAsync<ClassroomException>(() => App.Classes.CreateAsync(teacherId, new string('x', 81)));
    }

    [Fact]
    public async Task ListClasses_TwoTeachers_EachSeesOnlyTheirOwn()
    {
        var (alice, aliceClass) = await TeacherWithClassAsync("Alice's");
        var (bob, bobClass) = await TeacherWithClassAsync("Bob's");
        await App.JoinAsync(aliceClass, "Ana");

        var alices = await App.Classes.ListAsync(alice);
        var bobs = await App.Classes.ListAsync(bob);

        Assert.Equal([(aliceClass.Id, 1)], alices.Select(c => (c.Id, c.Students)));
        Assert.Equal([bobClass.Id], bobs.Select(c => c.Id));
    }

    [Fact]
    public async Task TeacherMethods_AnotherTeachersClassOrStudent_AreRefused()
    {
        var (_, aliceClass) = await TeacherWithClassAsync();
        var student = await App.JoinAsync(aliceClass, "Ana");
        var bob = await App.AddTeacherAsync();
        var id = aliceClass.Id;
        var sid = student.StudentId;

        Func<Task>[] calls =
        [
            () => App.Classes.GetAsync(bob, id),
            () => App.Classes.StudentsAsync(bob, id),
            () => App.Classes.RosterAsync(bob, id, Start),
            () => App.Classes.SendBroadcastAsync(bob, id, "hello"),
            () => App.Accounts.RenameAsync(bob, sid, "Eve"),
            () => App.Accounts.ResetPinAsync(bob, sid, "9999"),
            () => App.Accounts.RemoveAsync(bob, sid),
            () => App.Projects.LoadForTeacherAsync(bob, sid),
            () => App.Projects.HandOutAsync(bob, id, [("task.py", "print()")]),
            () => App.Projects.ExportClassAsync(bob, id, new MemoryStream()),
        ];
        foreach (var call in calls)
        {
            await Assert.ThrowsAsync<ClassroomAccessException>(call);
        }

        Assert.Equal("Ana", (await App.Accounts.FindAsync(sid))?.StudentName);
        Assert.Null(await App.Classes.LatestBroadcastAsync(id));
    }

    [Fact]
    public async Task TeacherMethods_GuessedIds_AreRefusedLikeAnotherTeachers()
    {
        var (teacherId, _) = await TeacherWithClassAsync();
        var guess = Guid.NewGuid();

        await Assert.ThrowsAsync<ClassroomAccessException>(() => App.Classes.GetAsync(teacherId, guess));
        await Assert.ThrowsAsync<ClassroomAccessException>(() => App.Classes.RosterAsync(teacherId, guess, Start));
        await Assert.ThrowsAsync<ClassroomAccessException>(() => App.Accounts.RemoveAsync(teacherId, guess));
        await Assert.ThrowsAsync<ClassroomAccessException>(() => App.Projects.LoadForTeacherAsync(teacherId, guess));
    }

    [Fact]
    public async Task Roster_RunsYesterdayAndToday_ShowsLastRunAndCountsOnlyToday()
    {
        var (teacherId, schoolClass) = await TeacherWithClassAsync();
        var ana = await App.JoinAsync(schoolClass, "Ana");
        var ben = await App.JoinAsync(schoolClass, "Ben");
        await App.Activity.RunStartedAsync(ana.StudentId, "old.py");
        Time.Advance(TimeSpan.FromDays(1));
        var today = Time.GetUtcNow();
        var first = await App.Activity.RunStartedAsync(ana.StudentId, "a.py");
        await App.Activity.RunEndedAsync(first, "succeeded", "exit code 0");
        Time.Advance(TimeSpan.FromMinutes(2));
        var second = await App.Activity.RunStartedAsync(ana.StudentId, "b.py");
        Time.Advance(TimeSpan.FromSeconds(3));
        await App.Activity.RunEndedAsync(second, "failed", "exit code 1");

        var roster = await App.Classes.RosterAsync(teacherId, schoolClass.Id, today);

        Assert.Equal(["Ana", "Ben"], roster.Select(r => r.Name));
        Assert.Equal(new RunSummary("b.py", today.AddMinutes(2), today.AddMinutes(2).AddSeconds(3), "failed", "exit code 1"), roster[0].LastRun);
        Assert.Equal(2, roster[0].RunsToday);
        Assert.Equal((ben.StudentId, (RunSummary?)null, 0), (roster[1].StudentId, roster[1].LastRun, roster[1].RunsToday));
    }

    [Fact]
    public async Task RunStarted_RunningNow_HasNoEndYet()
    {
        var (teacherId, schoolClass) = await TeacherWithClassAsync();
        var ana = await App.JoinAsync(schoolClass, "Ana");
        await App.Activity.RunStartedAsync(ana.StudentId, "main.py");

        var roster = await App.Classes.RosterAsync(teacherId, schoolClass.Id, Start);

        Assert.Equal(new RunSummary("main.py", Start, null, null, null), roster[0].LastRun);
    }

    [Fact]
    public async Task Runs_StartedAndEnded_ArePublished()
    {
        var (_, schoolClass) = await TeacherWithClassAsync();
        var ana = await App.JoinAsync(schoolClass, "Ana");
        using var events = App.Listen(schoolClass.Id);

        var run = await App.Activity.RunStartedAsync(ana.StudentId, "main.py");
        await App.Activity.RunEndedAsync(run, "succeeded", "exit code 0");

        Assert.Equal([new RunRecorded(schoolClass.Id, ana.StudentId), new RunRecorded(schoolClass.Id, ana.StudentId)], events.Of<RunRecorded>());
    }

    [Fact]
    public async Task Broadcast_Sent_IsStoredAndPublished()
    {
        var (teacherId, schoolClass) = await TeacherWithClassAsync();
        using var events = App.Listen(schoolClass.Id);
        await App.Classes.SendBroadcastAsync(teacherId, schoolClass.Id, "First");
        Time.Advance(TimeSpan.FromMinutes(1));

        await App.Classes.SendBroadcastAsync(teacherId, schoolClass.Id, "  Save your work  ");

        var latest = await App.Classes.LatestBroadcastAsync(schoolClass.Id);
        Assert.Equal(new BroadcastMessage("Save your work", Start.AddMinutes(1)), latest);
        Assert.Equal(new BroadcastSent(schoolClass.Id, "Save your work", Start.AddMinutes(1)), events.Of<BroadcastSent>()[^1]);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public async Task Broadcast_Empty_IsRefused(string text)
    {
        var (teacherId, schoolClass) = await TeacherWithClassAsync();

        await Assert.ThrowsAsync<ClassroomException>(() => App.Classes.SendBroadcastAsync(teacherId, schoolClass.Id, text));
    }

    [Fact]
    public async Task Broadcast_Over1000Characters_IsRefused()
    {
        var (teacherId, schoolClass) = await TeacherWithClassAsync();

        await Assert.ThrowsAsync<ClassroomException>(() => App.Classes.SendBroadcastAsync(teacherId, schoolClass.Id, new string('x', 1001)));
    }

    [Fact]
    public async Task LatestBroadcast_NoneSent_IsNull()
    {
        var (_, schoolClass) = await TeacherWithClassAsync();

        Assert.Null(await App.Classes.LatestBroadcastAsync(schoolClass.Id));
    }

    [Fact]
    public async Task Students_Listed_AreTheClassesOwnInNameOrder()
    {
        var (teacherId, schoolClass) = await TeacherWithClassAsync();
        var (_, other) = await TeacherWithClassAsync();
        await App.JoinAsync(schoolClass, "ben");
        await App.JoinAsync(schoolClass, "Ana");
        await App.JoinAsync(other, "Cy");

        var students = await App.Classes.StudentsAsync(teacherId, schoolClass.Id);

        Assert.Equal(["Ana", "ben"], students.Select(s => s.Name));
    }

    [Fact]
    public async Task Times_StoredAndReadBack_AreUtcAndCompareInTheDatabase()
    {
        var (_, schoolClass) = await TeacherWithClassAsync();
        var ana = await App.JoinAsync(schoolClass, "Ana");
        await App.Activity.RunStartedAsync(ana.StudentId, "a.py");
        Time.Advance(TimeSpan.FromTicks(10));
        await App.Activity.RunStartedAsync(ana.StudentId, "b.py");

        await using var db = await App.DbAsync();
        var after = await db.Runs.Where(r => r.StartedAt > Start).OrderByDescending(r => r.StartedAt).Select(r => r.StartedAt).ToListAsync();

        Assert.Equal(TimeSpan.Zero, Assert.Single(after).Offset);
    }

    [Fact]
    public async Task Teacher_SignedUpThroughIdentitysStores_HasAHashedPasswordAndOwnsClasses()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(Database.Settings).Build());
        services.AddClassroom();
        services.AddIdentityCore<Teacher>().AddEntityFrameworkStores<ClassroomDb>();
        await using var provider = services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<Teacher>>();

        var created = await users.CreateAsync(new Teacher { UserName = "garcia", Email = "garcia@school.example", CreatedAt = Start }, "Correct-Horse-9");
        var teacher = (await users.FindByNameAsync("garcia"))!;
        await users.SetLockoutEndDateAsync(teacher, Start.AddYears(100));
        var schoolClass = await App.Classes.CreateAsync(teacher.Id, "9C");

        Assert.True(created.Succeeded);
        Assert.True(await users.CheckPasswordAsync(teacher, "Correct-Horse-9"));
        Assert.DoesNotContain("Correct-Horse-9", teacher.PasswordHash);
        Assert.True(await users.IsLockedOutAsync((await users.FindByIdAsync(teacher.Id))!));
        Assert.Equal([schoolClass.Id], (await App.Classes.ListAsync(teacher.Id)).Select(c => c.Id));
    }
}

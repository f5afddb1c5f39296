using CodeRunner.Classroom;
using CodeRunner.Classroom.Accounts;
using CodeRunner.Classroom.Live;
using Microsoft.EntityFrameworkCore;

namespace CodeRunner.Tests.Classroom;

/// <summary>Joining with a name and PIN, coming back, wrong PINs, and what the teacher changes about a student; run against each provider.</summary>
public abstract class AccountTests(ITestDatabases databases) : ClassroomTestBase(databases)
{
    [Fact]
    public async Task Join_NewName_MakesAStudent()
    {
        var (_, schoolClass) = await TeacherWithClassAsync();
        using var events = App.Listen(schoolClass.Id);

        var result = await App.Accounts.JoinAsync(schoolClass.JoinCode, "  Ana   Lopez ", "1234");

        Assert.True(result.IsNew);
        Assert.Equal(new StudentIdentity(result.Student!.StudentId, schoolClass.Id, "Ana Lopez", "7B", schoolClass.JoinCode), result.Student);
        Assert.Equal([new StudentChanged(schoolClass.Id, result.Student.StudentId, false)], events.Of<StudentChanged>());
    }

    [Fact]
    public async Task Join_SameNameInAnotherCaseAndSpacing_WithTheRightPin_IsTheSameStudent()
    {
        var (_, schoolClass) = await TeacherWithClassAsync();
        var first = await App.JoinAsync(schoolClass, "Ana Lopez", "4321");

        var again = await App.Accounts.JoinAsync(schoolClass.JoinCode, "ana  LOPEZ", "4321");

        Assert.False(again.IsNew);
        Assert.Equal(first.StudentId, again.Student?.StudentId);
    }

    [Fact]
    public async Task Join_NameTaken_WrongPin_AsksForThatStudentsPin()
    {
        var (_, schoolClass) = await TeacherWithClassAsync();
        await App.JoinAsync(schoolClass, "Ana", "1234");

        var result = await App.Accounts.JoinAsync(schoolClass.JoinCode, "ana", "9999");

        Assert.Equal(JoinProblem.WrongPin, result.Problem);
        Assert.Null(result.Student);
        Assert.Contains("taken", result.Message);
        Assert.Contains("PIN", result.Message);
        Assert.Contains("another name", result.Message);
    }

    [Fact]
    public async Task Join_FiveWrongPinsInAMinute_FurtherTriesWait()
    {
        var (_, schoolClass) = await TeacherWithClassAsync();
        await App.JoinAsync(schoolClass, "Ana", "1234");
        for (var i = 0; i < JoinThrottle.WrongTries; i++)
        {
            Assert.Equal(JoinProblem.WrongPin, (await App.Accounts.JoinAsync(schoolClass.JoinCode, "Ana", $"000{i}")).Problem);
        }

        var right = await App.Accounts.JoinAsync(schoolClass.JoinCode, "Ana", "1234");

        Assert.Equal(JoinProblem.TooManyTries, right.Problem);
        Assert.InRange(right.RetryAfter!.Value, TimeSpan.FromTicks(1), TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task Join_WrongPinsForOneName_OtherNamesGoOn()
    {
        var (_, schoolClass) = await TeacherWithClassAsync();
        await App.JoinAsync(schoolClass, "Ana", "1234");
        await App.JoinAsync(schoolClass, "Ben", "5678");
        for (var i = 0; i < JoinThrottle.WrongTries + 1; i++)
        {
            await App.Accounts.JoinAsync(schoolClass.JoinCode, "Ana", "0000");
        }

        var ben = await App.Accounts.JoinAsync(schoolClass.JoinCode, "Ben", "5678");

        Assert.Null(ben.Problem);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("<script>")]
    [InlineData("a/b")]
    [InlineData("Ana\u0007")]
    [InlineData("A name that is longer than forty characters")]
    public async Task Join_InvalidName_IsRefused(string name)
    {
        var (_, schoolClass) = await TeacherWithClassAsync();

        var result = await App.Accounts.JoinAsync(schoolClass.JoinCode, name, "1234");

        Assert.Equal(JoinProblem.InvalidName, result.Problem);
    }

    [Theory]
    [InlineData("José Ñúñez")]
    [InlineData("O'Brien-Smith Jr.")]
    [InlineData("Zoë 2")]
    public async Task Join_NamesPeopleHave_AreAccepted(string name)
    {
        var (_, schoolClass) = await TeacherWithClassAsync();

        var result = await App.Accounts.JoinAsync(schoolClass.JoinCode, name, "1234");

        Assert.Equal(name, result.Student?.StudentName);
    }

    [Theory]
    [InlineData("123")]
    [InlineData("123456789")]
    [InlineData("12a4")]
    [InlineData("١٢٣٤")]
    [InlineData("")]
    public async Task Join_PinNotFourToEightDigits_IsRefused(string pin)
    {
        var (_, schoolClass) = await TeacherWithClassAsync();

        var result = await App.Accounts.JoinAsync(schoolClass.JoinCode, "Ana", pin);

        Assert.Equal(JoinProblem.InvalidPin, result.Problem);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ZZZZZZZZ")]
    [InlineData("ABC")]
    public async Task Join_UnknownCode_IsRefused(string code)
    {
        await TeacherWithClassAsync();

        var result = await App.Accounts.JoinAsync(code, "Ana", "1234");

        Assert.Equal(JoinProblem.UnknownCode, result.Problem);
    }

    [Fact]
    public async Task Join_Pin_IsStoredOnlyAsAHash()
    {
        var (_, schoolClass) = await TeacherWithClassAsync();
        await App.JoinAsync(schoolClass, "Ana", "73915");

        await using var db = await App.DbAsync();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM \"Students\"";
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        var values = Enumerable.Range(0, reader.FieldCount).Select(i => Convert.ToString(reader.GetValue(i))).ToList();

        Assert.DoesNotContain(values, v => v!.Contains("73915"));
        Assert.Contains(values, v => v!.Length > 40);
    }

    [Fact]
    public async Task Rename_ByTheTeacher_ChangesTheNameAndIsPublished()
    {
        var (teacherId, schoolClass) = await TeacherWithClassAsync();
        var ana = await App.JoinAsync(schoolClass, "Ana", "1234");
        using var events = App.Listen(schoolClass.Id);

        await App.Accounts.RenameAsync(teacherId, ana.StudentId, "Anabel");

        Assert.Equal("Anabel", (await App.Accounts.FindAsync(ana.StudentId))?.StudentName);
        Assert.Equal(ana.StudentId, (await App.Accounts.JoinAsync(schoolClass.JoinCode, "anabel", "1234")).Student?.StudentId);
        Assert.Equal([new StudentChanged(schoolClass.Id, ana.StudentId, false)], events.Of<StudentChanged>());
    }

    [Fact]
    public async Task Rename_ToAnotherStudentsName_IsRefused()
    {
        var (teacherId, schoolClass) = await TeacherWithClassAsync();
        var ana = await App.JoinAsync(schoolClass, "Ana");
        await App.JoinAsync(schoolClass, "Ben");

        var refused = await Assert.ThrowsAsync<ClassroomException>(() => App.Accounts.RenameAsync(teacherId, ana.StudentId, " BEN "));

        Assert.Contains("BEN", refused.Message);
    }

    [Fact]
    public async Task ResetPin_ByTheTeacher_TheNewPinSignsIn()
    {
        var (teacherId, schoolClass) = await TeacherWithClassAsync();
        var ana = await App.JoinAsync(schoolClass, "Ana", "1234");

        await App.Accounts.ResetPinAsync(teacherId, ana.StudentId, "8642");

        Assert.Equal(JoinProblem.WrongPin, (await App.Accounts.JoinAsync(schoolClass.JoinCode, "Ana", "1234")).Problem);
        Assert.Equal(ana.StudentId, (await App.Accounts.JoinAsync(schoolClass.JoinCode, "Ana", "8642")).Student?.StudentId);
    }

    [Fact]
    public async Task ResetPin_NotDigits_IsRefused()
    {
        var (teacherId, schoolClass) = await TeacherWithClassAsync();
        var ana = await App.JoinAsync(schoolClass, "Ana");

        await Assert.ThrowsAsync<ClassroomException>(() => App.Accounts.ResetPinAsync(teacherId, ana.StudentId, "12"));
    }

    [Fact]
    public async Task Remove_ByTheTeacher_DeletesTheStudentTheirProjectAndRuns()
    {
        var (teacherId, schoolClass) = await TeacherWithClassAsync();
        var ana = await App.JoinAsync(schoolClass, "Ana");
        var ben = await App.JoinAsync(schoolClass, "Ben");
        await App.Projects.SaveAsync(ana.StudentId, [new("main.py", "print(1)", 0)], [], ["empty"], "tab");
        await App.Projects.SaveAsync(ben.StudentId, [new("main.py", "print(2)", 0)], [], [], "tab");
        await App.Activity.RunStartedAsync(ana.StudentId, "main.py");
        using var events = App.Listen(schoolClass.Id);

        await App.Accounts.RemoveAsync(teacherId, ana.StudentId);

        await using var db = await App.DbAsync();
        Assert.Null(await App.Accounts.FindAsync(ana.StudentId));
        Assert.Equal(0, await db.ProjectFiles.CountAsync(f => f.StudentId == ana.StudentId));
        Assert.Equal(0, await db.ProjectFolders.CountAsync(f => f.StudentId == ana.StudentId));
        Assert.Equal(0, await db.Runs.CountAsync(r => r.StudentId == ana.StudentId));
        Assert.Equal(1, await db.ProjectFiles.CountAsync(f => f.StudentId == ben.StudentId));
        Assert.Equal([new StudentChanged(schoolClass.Id, ana.StudentId, true)], events.Of<StudentChanged>());
    }

    [Fact]
    public async Task Remove_TheNameIsFreeAgain_JoiningMakesANewStudent()
    {
        var (teacherId, schoolClass) = await TeacherWithClassAsync();
        var ana = await App.JoinAsync(schoolClass, "Ana", "1234");
        await App.Accounts.RemoveAsync(teacherId, ana.StudentId);

        var again = await App.Accounts.JoinAsync(schoolClass.JoinCode, "Ana", "5555");

        Assert.True(again.IsNew);
        Assert.NotEqual(ana.StudentId, again.Student?.StudentId);
    }

    [Fact]
    public async Task Join_SameNewNameTwiceAtOnce_MakesOneStudent()
    {
        var (_, schoolClass) = await TeacherWithClassAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => App.Accounts.JoinAsync(schoolClass.JoinCode, "Ana", "1234")));

        Assert.Single(results.Select(r => r.Student?.StudentId).Distinct());
        Assert.Single(results, r => r.IsNew);
    }
}

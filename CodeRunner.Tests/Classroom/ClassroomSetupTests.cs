using CodeRunner.Classroom;
using CodeRunner.Classroom.Accounts;
using CodeRunner.Classroom.Classes;
using CodeRunner.Classroom.Live;
using CodeRunner.Classroom.Projects;
using CodeRunner.Classroom.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CodeRunner.Tests.Classroom;

/// <summary>AddClassroom: what it registers and with which lifetimes, and settings that stop start-up with a sentence naming the key.</summary>
public sealed class ClassroomSetupTests
{
    [Theory]
    [InlineData(typeof(IClassService))]
    [InlineData(typeof(IStudentAccounts))]
    [InlineData(typeof(IStudentProjects))]
    [InlineData(typeof(IStudentActivity))]
    [InlineData(typeof(IClassroomEvents))]
    [InlineData(typeof(IClassPresence))]
    [InlineData(typeof(IDbContextFactory<ClassroomDb>))]
    [InlineData(typeof(TimeProvider))]
    public void AddClassroom_Services_AreSingletons(Type service)
    {
        var services = new ServiceCollection().AddClassroom();

        Assert.Equal(ServiceLifetime.Singleton, Assert.Single(services, d => d.ServiceType == service).Lifetime);
    }

    [Fact]
    public void AddClassroom_TheContextForIdentity_IsScoped()
    {
        var services = new ServiceCollection().AddClassroom();

        Assert.Equal(ServiceLifetime.Scoped, Assert.Single(services, d => d.ServiceType == typeof(ClassroomDb)).Lifetime);
    }

    [Fact]
    public void AddClassroom_Migrations_RunAsAHostedService()
    {
        var services = new ServiceCollection().AddClassroom();

        Assert.Contains(services, d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(ClassroomMigrator));
    }

    [Theory]
    [InlineData("Database:Provider", "Mongo", "Database:Provider")]
    [InlineData("Database:Provider", "Postgres", "ConnectionStrings:CodeRunner")]
    [InlineData("Database:Path", "", "Database:Path")]
    [InlineData("Database:BusyTimeoutSeconds", "0", "Database:BusyTimeoutSeconds")]
    [InlineData("Workspace:MaxFiles", "0", "Workspace:MaxFiles")]
    [InlineData("Workspace:MaxFileBytes", "10", "Workspace:MaxFileBytes")]
    public async Task StartUp_WrongSetting_StopsWithASentenceNamingTheKey(string key, string value, string named)
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => ClassroomHost.StartAsync(new() { [key] = value }));

        Assert.Contains(named, failure.Message);
    }

    [Fact]
    public async Task StartUp_PostgresConnectionStringMalformed_NamesTheKeyButNotThePassword()
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => ClassroomHost.StartAsync(new()
        {
            ["Database:Provider"] = "postgres",
            ["ConnectionStrings:CodeRunner"] = "Hots=db;Password=hunter2secret",
        }));

        Assert.Contains("ConnectionStrings:CodeRunner", failure.Message);
        Assert.DoesNotContain("hunter2secret", failure.Message);
    }
}

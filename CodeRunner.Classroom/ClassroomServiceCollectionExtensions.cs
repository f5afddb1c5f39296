using CodeRunner.Classroom.Accounts;
using CodeRunner.Classroom.Api;
using CodeRunner.Classroom.Classes;
using CodeRunner.Classroom.Exercises;
using CodeRunner.Classroom.Live;
using CodeRunner.Classroom.Projects;
using CodeRunner.Classroom.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CodeRunner.Classroom;

/// <summary>Registers the classroom: its database (migrated at start-up), its services and its live events.</summary>
public static class ClassroomServiceCollectionExtensions
{
    public static IServiceCollection AddClassroom(this IServiceCollection services)
    {
        services.AddOptions<DatabaseOptions>()
            .BindConfiguration(DatabaseOptions.SectionName)
            .Configure<IConfiguration>((options, configuration) =>
                options.ConnectionString = configuration.GetConnectionString(DatabaseOptions.ConnectionStringName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidator>());
        services.AddOptions<ProjectLimits>().BindConfiguration(ProjectLimits.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ProjectLimits>, ProjectLimitsValidator>());

        ClassroomStorage.AddContexts(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<JoinThrottle>();
        services.TryAddSingleton<IClassroomEvents, InProcessClassroomEvents>();
        services.TryAddSingleton<IClassPresence, ClassPresence>();
        services.TryAddSingleton<IClassService, ClassService>();
        services.TryAddSingleton<IStudentAccounts, StudentAccounts>();
        services.TryAddSingleton<IStudentProjects, StudentProjects>();
        services.TryAddSingleton<IStudentActivity, StudentActivity>();
        services.AddOptions<ExerciseOptions>();
        services.TryAddSingleton<IExerciseService, ExerciseService>();
        services.TryAddSingleton<IApiTokens, ApiTokens>();

        // Hosted services start in the order they are registered, and the web server only after all of them: the
        // database is up to date before the first request.
        services.AddHostedService<ClassroomMigrator>();
        return services;
    }
}

using CodeRunner.Classroom;
using CodeRunner.Classroom.Classes;
using CodeRunner.Classroom.Exercises;
using CodeRunner.Classroom.Projects;
using CodeRunner.Classroom.Model;
using CodeRunner.Classroom.Storage;
using CodeRunner.Engine;
using CodeRunner.Engine.Runs;
using CodeRunner.Web.Exercises;
using CodeRunner.Web.Workspace;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;

namespace CodeRunner.Web.Classroom;

/// <summary>The classroom in the web host: teachers' accounts, students' cookies, the services pages use, and the endpoints.</summary>
public static class ClassroomWeb
{
    public static IServiceCollection AddClassroomWeb(this IServiceCollection services)
    {
        services.AddClassroom();
        services.AddExercisesWeb();
        services.AddCascadingAuthenticationState();
        services.AddAuthentication(options =>
            {
                options.DefaultScheme = IdentityConstants.ApplicationScheme;
                options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddIdentityCookies(cookies => cookies.ApplicationCookie?.Configure(options =>
            {
                options.LoginPath = "/login";
                options.AccessDeniedPath = "/login";
                options.Cookie.Name = "CodeRunner.Teacher";
            }));
        services.AddAuthentication().AddStudentCookie();
        services.AddIdentityCore<Teacher>(options =>
            {
                options.Password.RequiredLength = 8;
                options.Password.RequireNonAlphanumeric = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireDigit = false;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(1);
                options.User.RequireUniqueEmail = false;
            })
            .AddEntityFrameworkStores<ClassroomDb>()
            .AddSignInManager()
            .AddDefaultTokenProviders();
        services.AddAuthorizationBuilder()
            .AddPolicy(StudentAuthentication.TeacherPolicy, policy => policy
                .AddAuthenticationSchemes(IdentityConstants.ApplicationScheme)
                .RequireAuthenticatedUser())
            .AddPolicy(StudentAuthentication.AdministratorPolicy, policy => policy
                .AddAuthenticationSchemes(IdentityConstants.ApplicationScheme)
                .RequireClaim(StudentAuthentication.AdministratorClaim, "true"))
            .AddPolicy(StudentAuthentication.StudentPolicy, policy => policy
                .AddAuthenticationSchemes(StudentAuthentication.Scheme)
                .RequireClaim(StudentAuthentication.StudentIdClaim));

        services.AddOptions<TeacherSetupOptions>().BindConfiguration(TeacherSetupOptions.SectionName).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<TeacherSetupOptions>, TeacherSetupOptionsValidator>();
        services.AddSingleton<TeacherSetup>();
        services.AddHostedService(sp => sp.GetRequiredService<TeacherSetup>());
        services.AddSingleton<LiveConsoles>();
        services.AddScoped<ClassMember>();
        services.AddScoped<ClassroomCircuit>();
        services.AddScoped<BrowserWorkspaceStorage>();
        services.AddScoped<CircuitWorkspaceStorage>();
        services.AddScoped<IWorkspaceStorage>(sp => sp.GetRequiredService<CircuitWorkspaceStorage>());
        return services;
    }

    /// <summary>
    /// What the exercise pages need beside the classroom's services: the checks they run in the circuit's engine
    /// session, and the engine's languages and path rules, which an exercise must follow.
    /// </summary>
    public static IServiceCollection AddExercisesWeb(this IServiceCollection services)
    {
        services.AddScoped<ExerciseChecks>();
        services.AddOptions<ExerciseOptions>().Configure<IExecutionEngine>((options, engine) =>
        {
            options.KnownLanguages = [.. engine.Languages.Select(l => l.Id)];
            options.PathProblem = path => ProjectPathRules.Problem(path);
        });
        return services;
    }

    /// <summary>Authentication in the request pipeline: teachers' and students' cookies, both on the same user.</summary>
    public static WebApplication UseClassroomAuthentication(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseStudentIdentity();
        app.UseAuthorization();
        return app;
    }

    /// <summary>Leaving a class, and what only a teacher may download.</summary>
    public static WebApplication MapClassroomEndpoints(this WebApplication app)
    {
        app.MapPost("/account/leave", async (HttpContext context) =>
        {
            var student = StudentAuthentication.StudentOf(context.User);
            await context.SignOutAsync(StudentAuthentication.Scheme);
            return Results.Redirect(student is null ? "/" : $"/left?student={student.StudentId:N}");
        }).WithMetadata(new RequireAntiforgeryTokenAttribute());
        app.MapGet("/teacher/classes/{classId:guid}/download", async (Guid classId, HttpContext context, IStudentProjects projects,
            IClassService classes) =>
        {
            var teacher = StudentAuthentication.TeacherIdOf(context.User) ?? "";
            ClassSummary summary;
            try
            {
                summary = await classes.GetAsync(teacher, classId, context.RequestAborted);
            }
            catch (ClassroomAccessException)
            {
                return Results.NotFound();
            }

            // Kestrel writes asynchronously only, and a zip's last part is written on disposal: build it in a temporary
            // file (a class's work can be large), then send that.
            var buffer = new FileStream(Path.GetTempFileName(), FileMode.Open, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose);
            await projects.ExportClassAsync(teacher, classId, buffer, context.RequestAborted);
            buffer.Position = 0;
            return Results.File(buffer, "application/zip", $"{SafeFileName(summary.Name)}.zip");
        }).RequireAuthorization(StudentAuthentication.TeacherPolicy);
        app.MapGet("/teacher/classes/{classId:guid}/gradebook.csv", async (Guid classId, HttpContext context, IExerciseService exercises,
            IClassService classes) =>
        {
            var teacher = StudentAuthentication.TeacherIdOf(context.User) ?? "";
            try
            {
                var summary = await classes.GetAsync(teacher, classId, context.RequestAborted);
                var book = await exercises.GradebookAsync(teacher, classId, context.RequestAborted);
                using var text = new StringWriter();
                GradebookCsv.Write(book, text);
                // UTF-8 with a byte-order mark: spreadsheets then read names with accents right.
                var bytes = new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true).GetPreamble()
                    .Concat(System.Text.Encoding.UTF8.GetBytes(text.ToString())).ToArray();
                return Results.File(bytes, "text/csv; charset=utf-8", $"{SafeFileName(summary.Name)} gradebook.csv");
            }
            catch (ClassroomAccessException)
            {
                return Results.NotFound();
            }
        }).RequireAuthorization(StudentAuthentication.TeacherPolicy);
        app.MapGet("/teacher/exercises/{exerciseId:guid}/export", async (Guid exerciseId, HttpContext context, IExerciseService exercises) =>
        {
            var teacher = StudentAuthentication.TeacherIdOf(context.User) ?? "";
            try
            {
                var detail = await exercises.GetAsync(teacher, exerciseId, context.RequestAborted);
                var zip = new MemoryStream();
                ExerciseFolder.Write(detail.Draft, zip);
                zip.Position = 0;
                return Results.File(zip, "application/zip", $"{SafeFileName(detail.Draft.Title)}.zip");
            }
            catch (ClassroomAccessException)
            {
                return Results.NotFound();
            }
        }).RequireAuthorization(StudentAuthentication.TeacherPolicy);
        app.MapPost("/account/logout", async (SignInManager<Teacher> signIn) =>
        {
            await signIn.SignOutAsync();
            return Results.Redirect("/login");
        }).WithMetadata(new RequireAntiforgeryTokenAttribute());
        return app;
    }

    private static string SafeFileName(string name)
    {
        var safe = new string(name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or ' ' ? c : '_').ToArray()).Trim();
        return safe.Length == 0 ? "class" : safe;
    }
}

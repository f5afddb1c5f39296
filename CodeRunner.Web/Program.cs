using CodeRunner.Engine;
using CodeRunner.Web.Admin;
using CodeRunner.Web.Api;
using CodeRunner.Web.Classroom;
using CodeRunner.Web.Components;
using CodeRunner.Web.Notebooks;
using CodeRunner.Web.Operations;
using CodeRunner.Web.Runs;
using CodeRunner.Web.Sessions;
using CodeRunner.Web.Workspace;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Extensions.Options;
using MudBlazor.Services;

var builder = WebApplication.CreateBuilder(args);

// Static web assets (MudBlazor, BlazorMonaco) are served from their packages outside Development too.
builder.WebHost.UseStaticWebAssets();

builder.Services.AddRazorComponents()
    .AddInteractiveServerComponents(circuit =>
    {
        // A closed tab usually ends its circuit at once (the browser says goodbye); when it cannot, the circuit and
        // its engine session (runs, network-mode containers, network) are freed after this. Short enough for a
        // classroom, long enough to survive a Wi-Fi hiccup.
        circuit.DisconnectedCircuitRetentionPeriod = builder.Configuration.GetValue("Circuit:RetentionSeconds", CircuitSession.DefaultRetentionSeconds) is var s and > 0
            ? TimeSpan.FromSeconds(s)
            : throw new OptionsValidationException("Circuit", typeof(int), ["Circuit:RetentionSeconds must be positive."]);
    })
    .AddHubOptions(hub => hub.MaximumReceiveMessageSize = 16 * 1024 * 1024); // large editor buffers
builder.Services.AddMudServices();
builder.Services.AddCodeRunnerEngine();
builder.Services.AddAdmin();
builder.Services.AddOperations();
builder.Services.AddOptions<WorkspaceOptions>().BindConfiguration(CodeRunner.Classroom.Projects.ProjectLimits.SectionName).ValidateOnStart();
builder.Services.AddSingleton<IValidateOptions<WorkspaceOptions>, WorkspaceOptionsValidator>();
builder.Services.AddScoped<CircuitSession>();
builder.Services.AddScoped<CircuitHandler, CircuitObserver>();
builder.Services.AddClassroomWeb();
builder.Services.AddSingleton<StarterProject>();
builder.Services.AddScoped<WorkspaceStore>();
builder.Services.AddScoped<RunConsoles>();
builder.Services.AddScoped<OpenNotebooks>();
builder.Services.AddCodeRunnerApi(builder.Configuration);

var app = builder.Build();
app.UseCodeRunnerForwardedHeaders();

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error", createScopeForErrors: true);
}

app.MapOperations();
app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseClassroomAuthentication();
app.UseAntiforgery();
app.MapStaticAssets();
app.MapRazorComponents<App>()
    .AddInteractiveServerRenderMode();
app.MapAdmin();
app.MapClassroomEndpoints();
app.MapCodeRunnerApi(); // after UseClassroomAuthentication: its rate limiter reads the token's claims

app.Run();

/// <summary>The web host's entry point, visible to tests that start it.</summary>
public partial class Program;

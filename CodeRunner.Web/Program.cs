using CodeRunner.Engine;
using CodeRunner.Web.Components;
using CodeRunner.Web.Sessions;
using MudBlazor.Services;

var builder = WebApplication.CreateBuilder(args);

// Static web assets (MudBlazor, BlazorMonaco) are served from their packages outside Development too.
builder.WebHost.UseStaticWebAssets();

builder.Services.AddRazorComponents()
    .AddInteractiveServerComponents()
    .AddHubOptions(hub => hub.MaximumReceiveMessageSize = 16 * 1024 * 1024); // large editor buffers
builder.Services.AddMudServices();
builder.Services.AddCodeRunnerEngine();
builder.Services.AddScoped<CircuitSession>();

var app = builder.Build();

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error", createScopeForErrors: true);
}

app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseAntiforgery();
app.MapStaticAssets();
app.MapRazorComponents<App>()
    .AddInteractiveServerRenderMode();

app.Run();

/// <summary>The web host's entry point, visible to tests that start it.</summary>
public partial class Program;

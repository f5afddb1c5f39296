using System.Globalization;
using CodeRunner.Classroom;
using CodeRunner.Classroom.Api;
using CodeRunner.Web.Classroom;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace CodeRunner.Web.Components.Teaching;

/// <summary>The teacher's API tokens: make one (its secret shown once), see when each was used, and revoke one.</summary>
public sealed partial class ApiTokensPage
{
    private IReadOnlyList<ApiTokenSummary>? _tokens;
    private NewApiToken? _made;
    private string _name = "";
    private int _requestsPerMinute = ApiTokenRules.DefaultRequestsPerMinute;
    private string? _error;
    private string _teacherId = "";

    [Inject] private IApiTokens Tokens { get; set; } = default!;
    [Inject] private AuthenticationStateProvider Authentication { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        _teacherId = StudentAuthentication.TeacherIdOf((await Authentication.GetAuthenticationStateAsync()).User)
                     ?? throw new InvalidOperationException("The teacher's pages need a signed-in teacher.");
        _tokens = await Tokens.ListAsync(_teacherId);
    }

    private async Task CreateAsync()
    {
        try
        {
            _made = await Tokens.CreateAsync(_teacherId, _name, _requestsPerMinute);
            _error = null;
            _name = "";
            _tokens = await Tokens.ListAsync(_teacherId);
        }
        catch (ClassroomException ex)
        {
            _error = ex.Message;
        }
    }

    private async Task RevokeAsync(ApiTokenSummary token)
    {
        try
        {
            await Tokens.RevokeAsync(_teacherId, token.Id);
            if (_made?.Token.Id == token.Id)
            {
                _made = null; // a revoked secret is of no use to copy
            }

            _tokens = await Tokens.ListAsync(_teacherId);
        }
        catch (ClassroomException ex)
        {
            _error = ex.Message;
        }
    }

    private static string When(DateTimeOffset time) => time.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}

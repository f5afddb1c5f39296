using CodeRunner.Classroom;
using CodeRunner.Classroom.Classes;
using CodeRunner.Classroom.Model;
using CodeRunner.Web.Classroom;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Identity;

namespace CodeRunner.Web.Components.Teaching;

/// <summary>The teacher's classes, a new class with its join code, and other teachers added.</summary>
public sealed partial class TeacherHome
{
    private IReadOnlyList<ClassSummary>? _classes;
    private bool _naming;
    private string _newName = "";
    private string? _error;
    private string _teacherUser = "";
    private string _teacherPassword = "";
    private string? _teacherMessage;
    private string _teacherId = "";

    [Inject] private IClassService Classes { get; set; } = default!;
    [Inject] private AuthenticationStateProvider Authentication { get; set; } = default!;
    [Inject] private UserManager<Teacher> Users { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        _teacherId = StudentAuthentication.TeacherIdOf((await Authentication.GetAuthenticationStateAsync()).User)
                     ?? throw new InvalidOperationException("The teacher's pages need a signed-in teacher.");
        _classes = await Classes.ListAsync(_teacherId);
    }

    private async Task OnNameKeyAsync(KeyboardEventArgs e)
    {
        if (e.Key == "Enter")
        {
            await CreateAsync();
        }
    }

    private async Task CreateAsync()
    {
        try
        {
            var made = await Classes.CreateAsync(_teacherId, _newName);
            Navigation.NavigateTo($"teacher/classes/{made.Id}");
        }
        catch (ClassroomException ex)
        {
            _error = ex.Message;
        }
    }

    private async Task AddTeacherAsync()
    {
        var result = await Users.CreateAsync(new Teacher { UserName = _teacherUser.Trim(), CreatedAt = DateTimeOffset.UtcNow }, _teacherPassword);
        _teacherMessage = result.Succeeded
            ? $"{_teacherUser.Trim()} can now sign in as a teacher."
            : string.Join(" ", result.Errors.Select(e => e.Description));
        if (result.Succeeded)
        {
            _teacherUser = _teacherPassword = "";
        }
    }
}

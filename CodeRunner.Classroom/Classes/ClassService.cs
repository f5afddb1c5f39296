using CodeRunner.Classroom.Live;
using CodeRunner.Classroom.Model;
using CodeRunner.Classroom.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CodeRunner.Classroom.Classes;

/// <inheritdoc cref="IClassService"/>
internal sealed class ClassService(IDbContextFactory<ClassroomDb> factory, IClassroomEvents events, TimeProvider time,
    ILogger<ClassService> logger) : IClassService
{
    public const int MaxNameLength = 80;
    public const int MaxBroadcastLength = 1000;
    private const int CodeTries = 10;

    /// <summary>Where new codes come from; the tests replace it to make two classes draw the same code.</summary>
    internal Func<string> NewCode { get; set; } = JoinCodes.New;

    public async Task<ClassSummary> CreateAsync(string teacherId, string name, CancellationToken cancellationToken = default)
    {
        name = name?.Trim() ?? "";
        if (name.Length is 0 or > MaxNameLength)
        {
            throw new ClassroomException($"A class needs a name of 1 to {MaxNameLength} characters.");
        }

        // A collision is all but impossible (31^8 codes), but the unique index would refuse it, so draw again.
        for (var attempt = 1; attempt <= CodeTries; attempt++)
        {
            var schoolClass = new SchoolClass
            {
                Id = Guid.CreateVersion7(),
                Name = name,
                JoinCode = NewCode(),
                TeacherId = teacherId,
                CreatedAt = time.Now(),
            };
            if (await TryAddAsync(schoolClass, cancellationToken))
            {
                Log.ClassCreated(logger, teacherId, schoolClass.Id);
                return new ClassSummary(schoolClass.Id, schoolClass.Name, schoolClass.JoinCode, 0, schoolClass.CreatedAt);
            }

            Log.JoinCodeCollision(logger, attempt);
        }

        throw new InvalidOperationException($"{CodeTries} join codes in a row were taken; the code generator is broken.");
    }

    public async Task<IReadOnlyList<ClassSummary>> ListAsync(string teacherId, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Classes
            .Where(c => c.TeacherId == teacherId)
            .OrderBy(c => c.CreatedAt)
            .Select(c => new ClassSummary(c.Id, c.Name, c.JoinCode, c.Students.Count, c.CreatedAt))
            .ToListAsync(cancellationToken);
    }

    public async Task<ClassSummary> GetAsync(string teacherId, Guid classId, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Classes
            .Where(c => c.Id == classId && c.TeacherId == teacherId)
            .Select(c => new ClassSummary(c.Id, c.Name, c.JoinCode, c.Students.Count, c.CreatedAt))
            .FirstOrDefaultAsync(cancellationToken) ?? throw new ClassroomAccessException();
    }

    public async Task<IReadOnlyList<StudentSummary>> StudentsAsync(string teacherId, Guid classId, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await db.RequireClassAsync(teacherId, classId, cancellationToken);
        var students = await db.Students
            .Where(s => s.ClassId == classId)
            .Select(s => new { Summary = new StudentSummary(s.Id, s.Name, s.JoinedAt), s.NormalizedName })
            .ToListAsync(cancellationToken);
        return [.. students.OrderBy(s => s.NormalizedName, StringComparer.Ordinal).Select(s => s.Summary)];
    }

    public async Task<IReadOnlyList<RosterEntry>> RosterAsync(string teacherId, Guid classId, DateTimeOffset since,
        CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await db.RequireClassAsync(teacherId, classId, cancellationToken);
        var students = await db.Students
            .Where(s => s.ClassId == classId)
            .Select(s => new { s.Id, s.Name, s.NormalizedName })
            .ToListAsync(cancellationToken);
        var classRuns = db.Runs.Where(r => db.Students.Any(s => s.Id == r.StudentId && s.ClassId == classId));
        var runsSince = await classRuns
            .Where(r => r.StartedAt >= since)
            .GroupBy(r => r.StudentId)
            .Select(g => new { StudentId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.StudentId, x => x.Count, cancellationToken);

        // Ids grow with every run recorded, so a student's largest id is the run they started last.
        var lastIds = classRuns.GroupBy(r => r.StudentId).Select(g => g.Max(r => r.Id));
        var lastRuns = await db.Runs
            .Where(r => lastIds.Contains(r.Id))
            .ToDictionaryAsync(r => r.StudentId, cancellationToken);

        return [.. students.OrderBy(s => s.NormalizedName, StringComparer.Ordinal).Select(s => new RosterEntry(
            s.Id,
            s.Name,
            lastRuns.TryGetValue(s.Id, out var r) ? new RunSummary(r.File, r.StartedAt, r.EndedAt, r.Outcome, r.Summary) : null,
            runsSince.GetValueOrDefault(s.Id)))];
    }

    public async Task SendBroadcastAsync(string teacherId, Guid classId, string text, CancellationToken cancellationToken = default)
    {
        text = text?.Trim() ?? "";
        if (text.Length is 0 or > MaxBroadcastLength)
        {
            throw new ClassroomException($"A message needs 1 to {MaxBroadcastLength:N0} characters.");
        }

        var broadcast = new Broadcast { Id = Guid.CreateVersion7(), ClassId = classId, Text = text, SentAt = time.Now() };
        await using (var db = await factory.CreateDbContextAsync(cancellationToken))
        {
            await db.RequireClassAsync(teacherId, classId, cancellationToken);
            db.Broadcasts.Add(broadcast);
            await db.SaveChangesAsync(cancellationToken);
        }

        events.Publish(new BroadcastSent(classId, broadcast.Text, broadcast.SentAt));
    }

    public async Task<BroadcastMessage?> LatestBroadcastAsync(Guid classId, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Broadcasts
            .Where(b => b.ClassId == classId)
            .OrderByDescending(b => b.SentAt)
            .Select(b => new BroadcastMessage(b.Text, b.SentAt))
            .FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>Adds the class; false when its code is taken, found before the insert or refused by the unique index.</summary>
    private async Task<bool> TryAddAsync(SchoolClass schoolClass, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        if (await CodeTakenAsync(schoolClass.JoinCode, cancellationToken))
        {
            return false;
        }

        db.Classes.Add(schoolClass);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException)
        {
            // Another class may have taken the code between the check and the insert; anything else is not ours to hide.
            if (await CodeTakenAsync(schoolClass.JoinCode, cancellationToken))
            {
                return false;
            }

            throw;
        }
    }

    private async Task<bool> CodeTakenAsync(string code, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Classes.AnyAsync(c => c.JoinCode == code, cancellationToken);
    }
}

using CodeRunner.Classroom.Live;
using CodeRunner.Classroom.Model;
using CodeRunner.Classroom.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CodeRunner.Classroom.Accounts;

/// <inheritdoc cref="IStudentActivity"/>
internal sealed class StudentActivity(IDbContextFactory<ClassroomDb> factory, IClassroomEvents events, TimeProvider time,
    ILogger<StudentActivity> logger) : IStudentActivity
{
    public async Task<long> RunStartedAsync(Guid studentId, string file, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var classIds = await db.Students.Where(s => s.Id == studentId).Select(s => s.ClassId).ToListAsync(cancellationToken);
        if (classIds.Count == 0)
        {
            throw new ClassroomAccessException();
        }

        var run = new RunRecord { StudentId = studentId, File = file, StartedAt = time.Now() };
        db.Runs.Add(run);
        await db.SaveChangesAsync(cancellationToken);
        events.Publish(new RunRecorded(classIds[0], studentId));
        return run.Id;
    }

    public async Task RunEndedAsync(long runRecordId, string outcome, string summary, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var found = await db.Runs
            .Where(r => r.Id == runRecordId)
            .Join(db.Students, r => r.StudentId, s => s.Id, (r, s) => new { Run = r, s.ClassId })
            .FirstOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            // The student was removed while the run went on; there is nothing left to record it against.
            Log.RunRecordGone(logger, runRecordId);
            return;
        }

        found.Run.EndedAt = time.Now();
        found.Run.Outcome = outcome;
        found.Run.Summary = summary;
        await db.SaveChangesAsync(cancellationToken);
        events.Publish(new RunRecorded(found.ClassId, found.Run.StudentId));
    }
}

using CodeRunner.Classroom.Classes;
using CodeRunner.Classroom.Live;
using CodeRunner.Classroom.Model;
using CodeRunner.Classroom.Projects;
using CodeRunner.Classroom.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CodeRunner.Classroom.Accounts;

/// <inheritdoc cref="IStudentAccounts"/>
internal sealed class StudentAccounts(IDbContextFactory<ClassroomDb> factory, IClassroomEvents events, TimeProvider time,
    JoinThrottle throttle, ILogger<StudentAccounts> logger) : IStudentAccounts
{
    public async Task<JoinResult> JoinAsync(string code, string name, string pin, CancellationToken cancellationToken = default)
    {
        var joinCode = JoinCodes.Normalize(code ?? "");
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var schoolClass = JoinCodes.IsWellFormed(joinCode)
            ? await db.Classes.AsNoTracking().FirstOrDefaultAsync(c => c.JoinCode == joinCode, cancellationToken)
            : null;
        if (schoolClass is null)
        {
            // A code that cannot be one is not echoed back: it may be anything at all.
            var which = JoinCodes.IsWellFormed(joinCode) ? $"the code {joinCode}" : "that code";
            return Refused(JoinProblem.UnknownCode, $"No class has {which}. A code has {JoinCodes.Length} letters and digits; check it with your teacher.");
        }

        if (StudentNames.Clean(name) is not { } cleanName)
        {
            return Refused(JoinProblem.InvalidName, StudentNames.Rule);
        }

        if (!Pins.IsValid(pin))
        {
            return Refused(JoinProblem.InvalidPin, Pins.Rule);
        }

        var normalized = StudentNames.Normalize(cleanName);
        if (throttle.MustWait(schoolClass.Id, normalized) is { } wait)
        {
            Log.TooManyTries(logger, schoolClass.Id, wait);
            return new JoinResult(null, false, JoinProblem.TooManyTries,
                $"Too many wrong PINs for {cleanName}. Try again in {Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))} seconds.", wait);
        }

        var student = await db.Students.FirstOrDefaultAsync(s => s.ClassId == schoolClass.Id && s.NormalizedName == normalized, cancellationToken);
        if (student is null)
        {
            if (await CreateAsync(schoolClass, cleanName, normalized, pin, cancellationToken) is { } created)
            {
                return new JoinResult(Identity(created, schoolClass), true, null, null, null);
            }

            // The same name joined at the same moment, and that student was made first: this is a returning student.
            student = await db.Students.SingleAsync(s => s.ClassId == schoolClass.Id && s.NormalizedName == normalized, cancellationToken);
        }

        if (!Pins.Verify(student, pin, out var rehashed))
        {
            throttle.WrongPin(schoolClass.Id, normalized);
            Log.WrongPin(logger, schoolClass.Id);
            return Refused(JoinProblem.WrongPin,
                $"The name {student.Name} is taken in this class. If it is you, enter your PIN; if not, choose another name.");
        }

        if (rehashed is not null)
        {
            student.PinHash = rehashed;
            await db.SaveChangesAsync(cancellationToken);
        }

        return new JoinResult(Identity(student, schoolClass), false, null, null, null);
    }

    public async Task<StudentIdentity?> FindAsync(Guid studentId, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Students
            .Where(s => s.Id == studentId)
            .Select(s => new StudentIdentity(s.Id, s.ClassId, s.Name, s.Class!.Name, s.Class.JoinCode))
            .FirstOrDefaultAsync(cancellationToken);
    }

    public async Task RenameAsync(string teacherId, Guid studentId, string name, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var classId = await db.RequireStudentAsync(teacherId, studentId, cancellationToken);
        var cleanName = StudentNames.Clean(name) ?? throw new ClassroomException(StudentNames.Rule);
        var normalized = StudentNames.Normalize(cleanName);
        var taken = new ClassroomException($"Another student of the class is called {cleanName}; choose another name.");
        if (await db.Students.AnyAsync(s => s.ClassId == classId && s.NormalizedName == normalized && s.Id != studentId, cancellationToken))
        {
            throw taken;
        }

        var student = await db.Students.SingleAsync(s => s.Id == studentId, cancellationToken);
        student.Name = cleanName;
        student.NormalizedName = normalized;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another student took the name between the check and the update (the unique index refused it).
            throw taken;
        }

        events.Publish(new StudentChanged(classId, studentId, Removed: false));
    }

    public async Task ResetPinAsync(string teacherId, Guid studentId, string pin, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await db.RequireStudentAsync(teacherId, studentId, cancellationToken);
        if (!Pins.IsValid(pin))
        {
            throw new ClassroomException(Pins.Rule);
        }

        var student = await db.Students.SingleAsync(s => s.Id == studentId, cancellationToken);
        student.PinHash = Pins.Hash(student, pin);
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task RemoveAsync(string teacherId, Guid studentId, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var classId = await db.RequireStudentAsync(teacherId, studentId, cancellationToken);

        // The foreign keys cascade too; deleting each table's rows here says what goes, on any provider.
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            await db.ProjectFiles.Where(f => f.StudentId == studentId).ExecuteDeleteAsync(cancellationToken);
            await db.ProjectFolders.Where(f => f.StudentId == studentId).ExecuteDeleteAsync(cancellationToken);
            await db.Runs.Where(r => r.StudentId == studentId).ExecuteDeleteAsync(cancellationToken);
            await db.Students.Where(s => s.Id == studentId).ExecuteDeleteAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        Log.StudentRemoved(logger, teacherId, classId, studentId);
        events.Publish(new StudentChanged(classId, studentId, Removed: true));
    }

    /// <summary>
    /// Makes the student, with the class's handouts in their project, in one transaction. Returns null when the unique
    /// index refused the name because the same name joined at the same moment.
    /// </summary>
    private async Task<Student?> CreateAsync(SchoolClass schoolClass, string name, string normalized, string pin,
        CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var student = new Student
        {
            Id = Guid.CreateVersion7(), ClassId = schoolClass.Id, Name = name, NormalizedName = normalized, PinHash = "", JoinedAt = time.Now(),
        };
        student.PinHash = Pins.Hash(student, pin);
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            db.Students.Add(student);
            db.Entry(student).Property<long>(ClassroomDb.ProjectVersion).CurrentValue = 1;
            await Handouts.GiveToNewStudentAsync(db, schoolClass.Id, student.Id, version: 1, student.JoinedAt, cancellationToken);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                if (await NameTakenAsync(schoolClass.Id, normalized, cancellationToken))
                {
                    return null;
                }

                throw;
            }

            await transaction.CommitAsync(cancellationToken);
        }

        Log.StudentJoined(logger, schoolClass.Id, student.Id);
        events.Publish(new StudentChanged(schoolClass.Id, student.Id, Removed: false));
        return student;
    }

    private async Task<bool> NameTakenAsync(Guid classId, string normalized, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Students.AnyAsync(s => s.ClassId == classId && s.NormalizedName == normalized, cancellationToken);
    }

    private static StudentIdentity Identity(Student student, SchoolClass schoolClass) =>
        new(student.Id, schoolClass.Id, student.Name, schoolClass.Name, schoolClass.JoinCode);

    private static JoinResult Refused(JoinProblem problem, string message) => new(null, false, problem, message, null);
}

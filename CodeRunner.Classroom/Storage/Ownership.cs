using Microsoft.EntityFrameworkCore;

namespace CodeRunner.Classroom.Storage;

/// <summary>
/// The checks behind every teacher method: the class or student must be that teacher's. A wrong id and another
/// teacher's id get the same <see cref="ClassroomAccessException"/>, so guessing tells nothing.
/// </summary>
internal static class Ownership
{
    public static async Task RequireClassAsync(this ClassroomDb db, string teacherId, Guid classId, CancellationToken cancellationToken)
    {
        if (!await db.Classes.AnyAsync(c => c.Id == classId && c.TeacherId == teacherId, cancellationToken))
        {
            throw new ClassroomAccessException();
        }
    }

    /// <summary>Returns the student's class.</summary>
    public static async Task<Guid> RequireStudentAsync(this ClassroomDb db, string teacherId, Guid studentId, CancellationToken cancellationToken)
    {
        var classIds = await db.Students
            .Where(s => s.Id == studentId && s.Class!.TeacherId == teacherId)
            .Select(s => s.ClassId)
            .ToListAsync(cancellationToken);
        return classIds.Count == 1 ? classIds[0] : throw new ClassroomAccessException();
    }

    /// <summary>Returns the exercise's class.</summary>
    public static async Task<Guid> RequireExerciseAsync(this ClassroomDb db, string teacherId, Guid exerciseId, CancellationToken cancellationToken)
    {
        var classIds = await db.Exercises
            .Where(e => e.Id == exerciseId && db.Classes.Any(c => c.Id == e.ClassId && c.TeacherId == teacherId))
            .Select(e => e.ClassId)
            .ToListAsync(cancellationToken);
        return classIds.Count == 1 ? classIds[0] : throw new ClassroomAccessException();
    }
}

using System.IO.Compression;
using System.Text;
using CodeRunner.Classroom.Accounts;
using CodeRunner.Classroom.Storage;
using Microsoft.EntityFrameworkCore;

namespace CodeRunner.Classroom.Projects;

/// <summary>A class's projects as one zip: a folder per student, named after them, holding their files and empty folders.</summary>
internal static class ClassExport
{
    public static async Task WriteAsync(ClassroomDb db, Guid classId, Stream output, CancellationToken cancellationToken)
    {
        var students = (await db.Students.AsNoTracking()
                .Where(s => s.ClassId == classId)
                .Select(s => new { s.Id, s.Name, s.NormalizedName })
                .ToListAsync(cancellationToken))
            .OrderBy(s => s.NormalizedName, StringComparer.Ordinal);

        // Asynchronous all the way: ASP.NET Core refuses synchronous writes to a response body.
        var zip = await ZipArchive.CreateAsync(output, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: null, cancellationToken);
        await using (zip)
        {
            var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var student in students)
            {
                var folder = StudentNames.FolderName(student.Name);
                for (var n = 2; !used.Add(folder); n++)
                {
                    folder = $"{StudentNames.FolderName(student.Name)} ({n})";
                }

                zip.CreateEntry(folder + "/");

                // One student at a time, so that a large class never sits in memory whole.
                var files = await db.ProjectFiles.AsNoTracking()
                    .Where(f => f.StudentId == student.Id)
                    .Select(f => new { f.Path, f.Content, f.Data })
                    .ToListAsync(cancellationToken);
                foreach (var file in files.OrderBy(f => f.Path, StringComparer.Ordinal))
                {
                    var entry = zip.CreateEntry($"{folder}/{file.Path}", CompressionLevel.Optimal);
                    var stream = await entry.OpenAsync(cancellationToken);
                    await using (stream)
                    {
                        await stream.WriteAsync(file.Data ?? Encoding.UTF8.GetBytes(file.Content), cancellationToken);
                    }
                }

                var folders = await db.ProjectFolders.AsNoTracking()
                    .Where(f => f.StudentId == student.Id)
                    .Select(f => f.Path)
                    .ToListAsync(cancellationToken);
                foreach (var empty in folders.Order(StringComparer.Ordinal))
                {
                    zip.CreateEntry($"{folder}/{empty}/");
                }
            }
        }
    }
}

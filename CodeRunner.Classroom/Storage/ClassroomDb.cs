using CodeRunner.Classroom.Model;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace CodeRunner.Classroom.Storage;

/// <summary>
/// The classroom's database: teachers (ASP.NET Core Identity), classes, students, projects, runs and messages. One model
/// for both providers; <see cref="SqliteClassroomDb"/> and <see cref="PostgresClassroomDb"/> each carry their own migrations.
/// </summary>
public abstract class ClassroomDb(DbContextOptions options) : IdentityDbContext<Teacher>(options)
{
    /// <summary>A file's size in UTF-8 bytes, kept beside it so that the project limits are checked without reading every file.</summary>
    internal const string FileBytes = "Bytes";

    /// <summary>
    /// The student's last project version: every save takes the next one, so a version is never issued twice for a
    /// student (not even for a file deleted and made again), and updating it first serialises saves of one student.
    /// </summary>
    internal const string ProjectVersion = "ProjectVersion";

    public DbSet<SchoolClass> Classes => Set<SchoolClass>();
    public DbSet<Student> Students => Set<Student>();
    public DbSet<ProjectFile> ProjectFiles => Set<ProjectFile>();
    public DbSet<ProjectFolder> ProjectFolders => Set<ProjectFolder>();
    public DbSet<Handout> Handouts => Set<Handout>();
    public DbSet<Broadcast> Broadcasts => Set<Broadcast>();
    public DbSet<RunRecord> Runs => Set<RunRecord>();
    public DbSet<Exercise> Exercises => Set<Exercise>();
    public DbSet<Submission> Submissions => Set<Submission>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        builder.Entity<SchoolClass>(c =>
        {
            c.ToTable("Classes");
            c.Property(x => x.Name).HasMaxLength(80);
            c.Property(x => x.JoinCode).HasMaxLength(8);
            c.HasIndex(x => x.JoinCode).IsUnique();
            c.HasIndex(x => x.TeacherId);
            c.HasOne<Teacher>().WithMany().HasForeignKey(x => x.TeacherId).OnDelete(DeleteBehavior.Cascade);
            c.HasMany(x => x.Students).WithOne(s => s.Class).HasForeignKey(s => s.ClassId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<Student>(s =>
        {
            s.ToTable("Students");
            s.Property(x => x.Name).HasMaxLength(40);
            s.Property(x => x.NormalizedName).HasMaxLength(40);
            s.HasIndex(x => new { x.ClassId, x.NormalizedName }).IsUnique();
            s.Property<long>(ProjectVersion);
        });

        builder.Entity<ProjectFile>(f =>
        {
            f.ToTable("ProjectFiles");
            f.HasKey(x => new { x.StudentId, x.Path });
            f.Property<long>(FileBytes);
            f.HasOne<Student>().WithMany().HasForeignKey(x => x.StudentId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<ProjectFolder>(f =>
        {
            f.ToTable("ProjectFolders");
            f.HasKey(x => new { x.StudentId, x.Path });
            f.HasOne<Student>().WithMany().HasForeignKey(x => x.StudentId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<Handout>(h =>
        {
            h.ToTable("Handouts");
            h.HasIndex(x => new { x.ClassId, x.CreatedAt });
            h.HasOne<SchoolClass>().WithMany().HasForeignKey(x => x.ClassId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<Broadcast>(b =>
        {
            b.ToTable("Broadcasts");
            b.Property(x => x.Text).HasMaxLength(1000);
            b.HasIndex(x => new { x.ClassId, x.SentAt });
            b.HasOne<SchoolClass>().WithMany().HasForeignKey(x => x.ClassId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<RunRecord>(r =>
        {
            r.ToTable("Runs");
            r.HasIndex(x => new { x.StudentId, x.StartedAt });
            r.HasOne<Student>().WithMany().HasForeignKey(x => x.StudentId).OnDelete(DeleteBehavior.Cascade);
        });

        OnExercisesCreating(builder);

        builder.Entity<ApiToken>(t =>
        {
            t.ToTable("ApiTokens");
            t.Property(x => x.Name).HasMaxLength(Api.ApiTokenRules.MaxNameLength);
            t.Property(x => x.Hash).HasMaxLength(64);
            t.HasIndex(x => x.Hash).IsUnique();
            t.HasIndex(x => x.TeacherId);
            t.HasOne<Teacher>().WithMany().HasForeignKey(x => x.TeacherId).OnDelete(DeleteBehavior.Cascade);
        });
    }

    private static void OnExercisesCreating(ModelBuilder builder)
    {
        builder.Entity<Exercise>(e =>
        {
            e.ToTable("Exercises");
            e.Property(x => x.Title).HasMaxLength(120);
            e.Property(x => x.Language).HasMaxLength(40);
            e.Property(x => x.Folder).HasMaxLength(60);
            e.HasIndex(x => x.ClassId);
            e.HasOne<SchoolClass>().WithMany().HasForeignKey(x => x.ClassId).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(x => x.Files).WithOne().HasForeignKey(f => f.ExerciseId).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(x => x.Cases).WithOne().HasForeignKey(c => c.ExerciseId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<ExerciseFile>(f =>
        {
            f.ToTable("ExerciseFiles");
            f.HasKey(x => new { x.ExerciseId, x.Role, x.Path });
            f.Property(x => x.Role).HasConversion<string>().HasMaxLength(16);
        });

        builder.Entity<ExerciseCase>(c =>
        {
            c.ToTable("ExerciseCases");
            c.HasKey(x => new { x.ExerciseId, x.Index });
            c.Property(x => x.Name).HasMaxLength(60);
            c.Property(x => x.Comparison).HasConversion<string>().HasMaxLength(16);
        });

        builder.Entity<Submission>(s =>
        {
            s.ToTable("Submissions");
            s.HasIndex(x => new { x.ExerciseId, x.StudentId });
            s.HasIndex(x => x.StudentId);
            s.HasOne<Exercise>().WithMany().HasForeignKey(x => x.ExerciseId).OnDelete(DeleteBehavior.Cascade);
            s.HasOne<Student>().WithMany().HasForeignKey(x => x.StudentId).OnDelete(DeleteBehavior.Cascade);
            s.HasMany(x => x.Files).WithOne().HasForeignKey(f => f.SubmissionId).OnDelete(DeleteBehavior.Cascade);
            s.HasMany(x => x.Cases).WithOne().HasForeignKey(c => c.SubmissionId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<SubmissionFile>(f =>
        {
            f.ToTable("SubmissionFiles");
            f.HasKey(x => new { x.SubmissionId, x.Path });
        });

        builder.Entity<SubmissionCase>(c =>
        {
            c.ToTable("SubmissionCases");
            c.HasKey(x => new { x.SubmissionId, x.Index });
            c.Property(x => x.Name).HasMaxLength(60);
            c.Property(x => x.Outcome).HasMaxLength(20);
        });
    }
}

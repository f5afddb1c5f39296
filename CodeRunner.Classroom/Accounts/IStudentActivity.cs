namespace CodeRunner.Classroom.Accounts;

/// <summary>Runs that students make, recorded for the roster (last run, runs today) and published live.</summary>
public interface IStudentActivity
{
    /// <summary>Records a run that started; returns its record's id, for <see cref="RunEndedAsync"/>.</summary>
    Task<long> RunStartedAsync(Guid studentId, string file, CancellationToken cancellationToken = default);

    /// <summary>Records how the run ended (the IDE's verdict outcome and its one-line summary).</summary>
    Task RunEndedAsync(long runRecordId, string outcome, string summary, CancellationToken cancellationToken = default);
}

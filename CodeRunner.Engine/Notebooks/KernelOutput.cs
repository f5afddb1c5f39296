namespace CodeRunner.Engine.Notebooks;

/// <summary>One output of a cell, shaped as nbformat 4 shapes it, so that a notebook file can hold it as it is.</summary>
public abstract record KernelOutput;

/// <summary>Text a cell wrote; <paramref name="Name"/> is <c>stdout</c> or <c>stderr</c>.</summary>
public sealed record StreamOutput(string Name, string Text) : KernelOutput;

/// <summary>
/// A rich output: <c>display_data</c>, or the cell's <c>execute_result</c> when <paramref name="ExecutionCount"/> is set.
/// <paramref name="Data"/> maps a MIME type to its content: text as it is, binary types (<c>image/png</c>) in base64.
/// </summary>
public sealed record DisplayOutput(IReadOnlyDictionary<string, string> Data, int? ExecutionCount = null) : KernelOutput
{
    public bool IsResult => ExecutionCount is not null;
}

/// <summary>An exception the cell raised; <paramref name="Traceback"/> holds its lines, ANSI colours included.</summary>
public sealed record ErrorOutput(string Name, string Value, IReadOnlyList<string> Traceback) : KernelOutput;

/// <summary>The cell called <c>input()</c>; answer with <see cref="INotebookKernel.ReplyInputAsync"/>.</summary>
public sealed record InputRequest(string Prompt, bool Password) : KernelOutput;

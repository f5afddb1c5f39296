namespace CodeRunner.Web.Workspace;

/// <summary>A project operation was refused; the message says why and, for a limit, names it.</summary>
public sealed class WorkspaceException(string message) : Exception(message);

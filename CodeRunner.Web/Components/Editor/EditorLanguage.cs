using CodeRunner.Engine;

namespace CodeRunner.Web.Components.Editor;

/// <summary>
/// Monaco's language for a file: that of the engine's language whose extensions or editor extensions match. For any
/// other file it is null, and the browser asks Monaco's own registry (<c>wwwroot/js/editor-language.js</c>).
/// </summary>
public static class EditorLanguage
{
    public static string? For(IExecutionEngine engine, string path) =>
        engine.Languages.FirstOrDefault(l => l.IsEditedAs(path))?.Editor;
}

using MudBlazor;

namespace CodeRunner.Web.Components.Layout;

/// <summary>The IDE's colours: a calm dark theme (the default) and a light one, both with readable contrast.</summary>
public static class IdeTheme
{
    private static readonly string[] FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica", "Arial", "sans-serif"];

    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#0b5cad",
            Success = "#2e7d32",
            Error = "#c62828",
            AppbarBackground = "#0b5cad",
            AppbarText = "#ffffff",
            Background = "#ffffff",
            Surface = "#f6f8fa",
            TextPrimary = "#1f2328",
            TextSecondary = "#4b535d",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#4fa3ff",
            Success = "#2e7d32",
            Error = "#c62828",
            AppbarBackground = "#181a1f",
            AppbarText = "#e6e6e6",
            Background = "#1e1e1e",
            Surface = "#252526",
            TextPrimary = "#e6e6e6",
            TextSecondary = "#b3b3b3",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = FontFamily },
        },
    };
}

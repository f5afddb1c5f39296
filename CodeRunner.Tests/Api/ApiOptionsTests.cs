using CodeRunner.Web.Api;

namespace CodeRunner.Tests.Api;

/// <summary>The API's settings: the defaults pass, and a value out of range is refused with a sentence naming its key.</summary>
public sealed class ApiOptionsTests
{
    [Fact]
    public void Defaults_AreValid() => Assert.True(new ApiOptionsValidator().Validate(null, new ApiOptions()).Succeeded);

    [Theory]
    [InlineData(nameof(ApiOptions.MaxRequestBytes), "Api:MaxRequestBytes")]
    [InlineData(nameof(ApiOptions.KeptRuns), "Api:KeptRuns")]
    [InlineData(nameof(ApiOptions.KeepFinishedMinutes), "Api:KeepFinishedMinutes")]
    [InlineData(nameof(ApiOptions.MaxBatchSize), "Api:MaxBatchSize")]
    public void AZeroSetting_IsRefused_NamingItsKey(string property, string key)
    {
        var options = new ApiOptions();
        var setting = typeof(ApiOptions).GetProperty(property)!;
        setting.SetValue(options, Convert.ChangeType(0, setting.PropertyType, System.Globalization.CultureInfo.InvariantCulture));
        var result = new ApiOptionsValidator().Validate(null, options);
        Assert.True(result.Failed);
        Assert.Contains(key, result.FailureMessage);
    }
}

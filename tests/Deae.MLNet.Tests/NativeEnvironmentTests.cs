using Deae.MLNet.Runtime;

namespace Deae.MLNet.Tests;

/// <summary>Defaults for native libraries are set where native code reads them, and never over a user's choice.</summary>
public class NativeEnvironmentTests
{
    [Fact]
    public void SetsAnUnsetVariableWhereNativeCodeReadsIt()
    {
        string name = $"DEAE_TEST_{Guid.NewGuid():N}";
        Assert.Equal($"{name}=7", NativeEnvironment.SetUnlessChosen(name, "7"));
        Assert.Equal("7", NativeEnvironment.NativeValue(name));
        Assert.Equal("7", Environment.GetEnvironmentVariable(name));
    }

    [Fact]
    public void LeavesTheUsersValueOfTheVariableOrOfAnAlternativeAlone()
    {
        string name = $"DEAE_TEST_{Guid.NewGuid():N}", alternative = $"DEAE_TEST_{Guid.NewGuid():N}";
        Assert.NotNull(NativeEnvironment.SetUnlessChosen(name, "user"));
        Assert.Null(NativeEnvironment.SetUnlessChosen(name, "default"));
        Assert.Equal("user", NativeEnvironment.NativeValue(name));

        string other = $"DEAE_TEST_{Guid.NewGuid():N}";
        Assert.NotNull(NativeEnvironment.SetUnlessChosen(alternative, "PASSIVE"));
        Assert.Null(NativeEnvironment.SetUnlessChosen(other, "1000", alternative));
        Assert.Null(NativeEnvironment.NativeValue(other));
    }

    [Fact]
    public void TheLoadedProcessReportsTheSpinCapItsLibgompRead()
    {
        TorchRuntime.EnsureLoaded();
        // Whichever way it went in this process (a user may have set either variable), what is reported is what libgomp read.
        if (TorchRuntime.OpenMpSpinCap is not null)
        {
            Assert.Equal($"{OpenMpSpinCap.Variable}={OpenMpSpinCap.Cap}", TorchRuntime.OpenMpSpinCap);
            Assert.Equal(OpenMpSpinCap.Cap, NativeEnvironment.NativeValue(OpenMpSpinCap.Variable));
        }
        else
        {
            Assert.True(!OperatingSystem.IsLinux()
                || !string.IsNullOrEmpty(NativeEnvironment.NativeValue(OpenMpSpinCap.Variable))
                || !string.IsNullOrEmpty(NativeEnvironment.NativeValue(OpenMpSpinCap.WaitPolicyVariable)));
        }
    }
}

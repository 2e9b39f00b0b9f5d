using FraudGateway.State;

namespace FraudGateway.Tests.State;

public class LuaScriptsTests
{
    // The window code counters.lua and approx_sync.lua share is written once and put into both.
    [Theory]
    [InlineData("counters")]
    [InlineData("approx_sync")]
    public void Shared_window_code_is_included_once(string name)
    {
        var source = LuaScripts.ReadSource(name);

        Assert.DoesNotContain("-- include ", source);
        Assert.Equal(2, source.Split("local function start(key, index, window)").Length);
        Assert.Equal(source, name == "counters" ? LuaScripts.Counters : LuaScripts.ApproxSync);
    }
}

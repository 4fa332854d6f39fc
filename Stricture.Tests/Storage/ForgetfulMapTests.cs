using Stricture.Storage.ObjectStore;

namespace Stricture.Tests.Storage;

/// <summary>The per-key hints a process keeps: what was set is found until forgotten, and the map never grows past its bound.</summary>
public sealed class ForgetfulMapTests
{
    [Fact]
    public void A_set_value_is_found_replaced_and_forgotten()
    {
        var map = new ForgetfulMap<int>();
        map.Set("a", 1);
        map.Set("a", 2);
        Assert.True(map.TryGet("a", out var value));
        Assert.Equal(2, value);

        map.Forget("a");
        map.Forget("a");

        Assert.False(map.Contains("a"));
    }

    [Fact]
    public void Past_its_bound_it_forgets_everything_but_the_newest_key()
    {
        var map = new ForgetfulMap<int>();
        for (var i = 0; i < ForgetfulMap<int>.MaxKeys; i++)
        {
            map.Set($"k{i}", i);
        }
        Assert.True(map.Contains("k0"));

        map.Set("one-too-many", -1);

        Assert.False(map.Contains("k0"));
        Assert.False(map.Contains($"k{ForgetfulMap<int>.MaxKeys - 1}"));
        Assert.True(map.Contains("one-too-many"));
    }

    [Fact]
    public void Replacing_and_forgetting_keys_does_not_count_towards_the_bound()
    {
        var map = new ForgetfulMap<int>();
        map.Set("kept", 0);
        for (var i = 0; i < 3 * ForgetfulMap<int>.MaxKeys; i++)
        {
            map.Set("replaced", i);
            map.Set($"brief{i}", i);
            map.Forget($"brief{i}");
        }

        Assert.True(map.Contains("kept"));
    }
}

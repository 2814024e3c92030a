using System.Reflection;
using BenchmarkDotNet.Parameters;
using BenchmarkDotNet.Running;

namespace StarNet.Benchmarks;

/// <summary>
/// Instances of a benchmark class with one case's parameter values set the way BenchmarkDotNet sets them, without
/// running any setup: for questions answered from the parameters alone (flop count, quick-set membership).
/// </summary>
public static class BenchmarkInstances
{
    /// <summary>A new instance of the case's class with the case's parameters assigned.</summary>
    public static object Create(BenchmarkCase benchmarkCase)
    {
        Type type = benchmarkCase.Descriptor.Type;
        object instance = Activator.CreateInstance(type)!;
        foreach (ParameterInstance p in benchmarkCase.Parameters.Items)
        {
            MemberInfo? member = (MemberInfo?)type.GetProperty(p.Name) ?? type.GetField(p.Name);
            switch (member)
            {
                case PropertyInfo prop:
                    prop.SetValue(instance, p.Value);
                    break;
                case FieldInfo field:
                    field.SetValue(instance, p.Value);
                    break;
            }
        }

        return instance;
    }

    /// <summary>The case's instance as <typeparamref name="T"/>, or null when its class does not implement it.</summary>
    public static T? As<T>(BenchmarkCase benchmarkCase)
        where T : class =>
        typeof(T).IsAssignableFrom(benchmarkCase.Descriptor.Type) ? (T)Create(benchmarkCase) : null;
}

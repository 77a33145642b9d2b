namespace Dashboard.Tests;

/// <summary>One AllInOne, demo fleet and browser for every dashboard test, run one test at a time (a 2-core machine).</summary>
[CollectionDefinition(nameof(DashboardCollection))]
public sealed class DashboardCollection : ICollectionFixture<DashboardSuite>;

using ControlPlane.Api.V1;
using ControlPlane.ServiceDefaults.Access;
using ControlPlane.Testing;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Access.Tests;

public sealed class ApiKeyTests
{
    [Fact]
    public async Task AKeyIsShownOnceKeptOnlyAsItsHashAndRefusedOnceRevokedOrExpired()
    {
        await using var suite = await Suite.StartAsync();
        var access = new Api.V1.Access.AccessClient(suite.Host.Channel);
        var created = await access.CreateApiKeyAsync(new CreateApiKeyRequest { Name = "ci", Role = Role.Operator, RequestId = "make-ci" });
        Assert.StartsWith("cpk_", created.Token, StringComparison.Ordinal);
        Assert.True(created.Key.Active);

        // A retry names the key it made, without the secret; a second active key of that name is refused.
        var again = await access.CreateApiKeyAsync(new CreateApiKeyRequest { Name = "ci", Role = Role.Operator, RequestId = "make-ci" });
        Assert.Equal(created.Key.Id, again.Key.Id);
        Assert.Equal("", again.Token);
        await RpcAssert.ThrowsAsync(StatusCode.AlreadyExists, () => access.CreateApiKeyAsync(new CreateApiKeyRequest { Name = "ci", Role = Role.Viewer }).ResponseAsync);
        var invalid = await RpcAssert.InvalidFieldAsync("role", () => access.CreateApiKeyAsync(new CreateApiKeyRequest { Name = "x" }).ResponseAsync);
        Assert.Contains(invalid.FieldViolations, v => v.Field == "role");

        await using (var scope = suite.Host.Services.CreateAsyncScope())
        {
            var row = await scope.ServiceProvider.GetRequiredService<AccessDbContext>().ApiKeys.SingleAsync(k => k.Id == created.Key.Id);
            Assert.Equal(TestCredentials.Sha256(created.Token), row.TokenSha256);
            Assert.DoesNotContain(created.Token, $"{row.Id}{row.Name}{row.Role}{row.CreatedBy}{row.RequestId}{row.TokenSha256}", StringComparison.Ordinal);
        }
        var listed = await access.ListApiKeysAsync(new ListApiKeysRequest());
        Assert.Contains(listed.Keys, k => k.Id == created.Key.Id && k.Name == "ci" && k.Role == Role.Operator && k.CreatedBy == "test-admin");
        Assert.DoesNotContain(created.Token, listed.ToString(), StringComparison.Ordinal);

        using var ci = TestCredentials.Channel(suite.Host.GrpcUrl, created.Token);
        var whoAmI = await new Api.V1.Access.AccessClient(ci).WhoAmIAsync(new WhoAmIRequest());
        Assert.Equal(("ci", Role.Operator, "api-key", created.Key.Id), (whoAmI.Name, whoAmI.Role, whoAmI.Authentication, whoAmI.KeyId));

        var revoked = await access.RevokeApiKeyAsync(new RevokeApiKeyRequest { Id = created.Key.Id });
        Assert.False(revoked.Active);
        var refused = await RpcAssert.ThrowsAsync(StatusCode.Unauthenticated, () => new Api.V1.Access.AccessClient(ci).WhoAmIAsync(new WhoAmIRequest()).ResponseAsync);
        Assert.Contains("'ci' was revoked", refused.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(created.Token, refused.Status.Detail, StringComparison.Ordinal);
        await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => access.RevokeApiKeyAsync(new RevokeApiKeyRequest { Id = "nosuchkey" }).ResponseAsync);

        var shortLived = await access.CreateApiKeyAsync(new CreateApiKeyRequest { Name = "brief", Role = Role.Viewer, Ttl = Duration.FromTimeSpan(TimeSpan.FromSeconds(1)) });
        using var brief = TestCredentials.Channel(suite.Host.GrpcUrl, shortLived.Token);
        await new Api.V1.Access.AccessClient(brief).WhoAmIAsync(new WhoAmIRequest());
        await Task.Delay(shortLived.Key.ExpiresAt.ToDateTimeOffset() - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(50));
        var expired = await RpcAssert.ThrowsAsync(StatusCode.Unauthenticated, () => new Api.V1.Access.AccessClient(brief).WhoAmIAsync(new WhoAmIRequest()).ResponseAsync);
        Assert.Contains("'brief' expired", expired.Status.Detail, StringComparison.Ordinal);
    }
}

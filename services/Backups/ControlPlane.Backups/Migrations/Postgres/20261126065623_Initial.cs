using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace ControlPlane.Backups.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "backups_backups",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    TargetDatabase = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: false),
                    Kind = table.Column<int>(type: "integer", nullable: false),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    ArtifactUri = table.Column<string>(type: "text", nullable: false),
                    SizeBytes = table.Column<long>(type: "bigint", nullable: false),
                    Sha256 = table.Column<string>(type: "text", nullable: false),
                    Compression = table.Column<int>(type: "integer", nullable: false),
                    EncryptionKeyId = table.Column<string>(type: "text", nullable: false),
                    Manifest = table.Column<byte[]>(type: "bytea", nullable: false),
                    VerificationStatus = table.Column<int>(type: "integer", nullable: false),
                    Verification = table.Column<byte[]>(type: "bytea", nullable: false),
                    VerifyWhenDone = table.Column<bool>(type: "boolean", nullable: false),
                    Error = table.Column<string>(type: "text", nullable: false),
                    Trigger = table.Column<int>(type: "integer", nullable: false),
                    Initiator = table.Column<string>(type: "text", nullable: false),
                    Description = table.Column<string>(type: "text", nullable: false),
                    Labels = table.Column<string>(type: "text", nullable: false),
                    Pinned = table.Column<bool>(type: "boolean", nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    StartedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    FinishedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    RequestId = table.Column<string>(type: "text", nullable: false),
                    Revision = table.Column<long>(type: "bigint", nullable: false),
                    TraceParent = table.Column<string>(type: "text", nullable: true),
                    Owner = table.Column<string>(type: "text", nullable: false),
                    HeartbeatAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    CancelRequested = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_backups_backups", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "backups_events",
                columns: table => new
                {
                    Revision = table.Column<long>(type: "bigint", nullable: false),
                    Stream = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Subject = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Type = table.Column<int>(type: "integer", nullable: false),
                    Payload = table.Column<byte[]>(type: "bytea", nullable: false),
                    OccurredAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_backups_events", x => x.Revision);
                });

            migrationBuilder.CreateTable(
                name: "backups_leases",
                columns: table => new
                {
                    Name = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Holder = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Token = table.Column<long>(type: "bigint", nullable: false),
                    ExpiresAtMs = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_backups_leases", x => x.Name);
                });

            migrationBuilder.CreateTable(
                name: "backups_outbox",
                columns: table => new
                {
                    Sequence = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    MessageId = table.Column<Guid>(type: "uuid", nullable: false),
                    MessageType = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: false),
                    Payload = table.Column<string>(type: "text", nullable: false),
                    TraceParent = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    LastError = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_backups_outbox", x => x.Sequence);
                });

            migrationBuilder.CreateTable(
                name: "backups_policies",
                columns: table => new
                {
                    TargetDatabase = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: false),
                    Policy = table.Column<byte[]>(type: "bytea", nullable: false),
                    Enabled = table.Column<bool>(type: "boolean", nullable: false),
                    EnabledAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    NextBackupAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    NextVerificationAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    StaleSince = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Generation = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_backups_policies", x => x.TargetDatabase);
                });

            migrationBuilder.CreateTable(
                name: "backups_requests",
                columns: table => new
                {
                    RequestId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Method = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Response = table.Column<byte[]>(type: "bytea", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_backups_requests", x => x.RequestId);
                });

            migrationBuilder.CreateTable(
                name: "backups_restores",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    BackupId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    TargetDatabase = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: false),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    DryRun = table.Column<bool>(type: "boolean", nullable: false),
                    SkipSafetyBackup = table.Column<bool>(type: "boolean", nullable: false),
                    SafetyBackupId = table.Column<string>(type: "text", nullable: false),
                    Error = table.Column<string>(type: "text", nullable: false),
                    Initiator = table.Column<string>(type: "text", nullable: false),
                    Reason = table.Column<string>(type: "text", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    StartedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    FinishedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    RequestId = table.Column<string>(type: "text", nullable: false),
                    Revision = table.Column<long>(type: "bigint", nullable: false),
                    TraceParent = table.Column<string>(type: "text", nullable: true),
                    Owner = table.Column<string>(type: "text", nullable: false),
                    HeartbeatAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_backups_restores", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "backups_revision",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false),
                    Value = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_backups_revision", x => x.Id);
                });

            migrationBuilder.InsertData(
                table: "backups_revision",
                columns: new[] { "Id", "Value" },
                values: new object[] { 1, 0L });

            migrationBuilder.CreateIndex(
                name: "IX_backups_backups_Status_Id",
                table: "backups_backups",
                columns: new[] { "Status", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_backups_backups_TargetDatabase_Status_Id",
                table: "backups_backups",
                columns: new[] { "TargetDatabase", "Status", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_backups_backups_VerificationStatus",
                table: "backups_backups",
                column: "VerificationStatus");

            migrationBuilder.CreateIndex(
                name: "IX_backups_events_Stream_Revision",
                table: "backups_events",
                columns: new[] { "Stream", "Revision" });

            migrationBuilder.CreateIndex(
                name: "IX_backups_requests_CreatedAt",
                table: "backups_requests",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_backups_restores_Status_Id",
                table: "backups_restores",
                columns: new[] { "Status", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "backups_backups");

            migrationBuilder.DropTable(
                name: "backups_events");

            migrationBuilder.DropTable(
                name: "backups_leases");

            migrationBuilder.DropTable(
                name: "backups_outbox");

            migrationBuilder.DropTable(
                name: "backups_policies");

            migrationBuilder.DropTable(
                name: "backups_requests");

            migrationBuilder.DropTable(
                name: "backups_restores");

            migrationBuilder.DropTable(
                name: "backups_revision");
        }
    }
}

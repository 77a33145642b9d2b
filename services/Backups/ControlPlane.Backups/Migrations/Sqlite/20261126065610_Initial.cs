using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ControlPlane.Backups.Migrations.Sqlite
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
                    Id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    TargetDatabase = table.Column<string>(type: "TEXT", maxLength: 63, nullable: false),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    ArtifactUri = table.Column<string>(type: "TEXT", nullable: false),
                    SizeBytes = table.Column<long>(type: "INTEGER", nullable: false),
                    Sha256 = table.Column<string>(type: "TEXT", nullable: false),
                    Compression = table.Column<int>(type: "INTEGER", nullable: false),
                    EncryptionKeyId = table.Column<string>(type: "TEXT", nullable: false),
                    Manifest = table.Column<byte[]>(type: "BLOB", nullable: false),
                    VerificationStatus = table.Column<int>(type: "INTEGER", nullable: false),
                    Verification = table.Column<byte[]>(type: "BLOB", nullable: false),
                    VerifyWhenDone = table.Column<bool>(type: "INTEGER", nullable: false),
                    Error = table.Column<string>(type: "TEXT", nullable: false),
                    Trigger = table.Column<int>(type: "INTEGER", nullable: false),
                    Initiator = table.Column<string>(type: "TEXT", nullable: false),
                    Description = table.Column<string>(type: "TEXT", nullable: false),
                    Labels = table.Column<string>(type: "TEXT", nullable: false),
                    Pinned = table.Column<bool>(type: "INTEGER", nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    StartedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    FinishedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    RequestId = table.Column<string>(type: "TEXT", nullable: false),
                    Revision = table.Column<long>(type: "INTEGER", nullable: false),
                    TraceParent = table.Column<string>(type: "TEXT", nullable: true),
                    Owner = table.Column<string>(type: "TEXT", nullable: false),
                    HeartbeatAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CancelRequested = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_backups_backups", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "backups_events",
                columns: table => new
                {
                    Revision = table.Column<long>(type: "INTEGER", nullable: false),
                    Stream = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Type = table.Column<int>(type: "INTEGER", nullable: false),
                    Payload = table.Column<byte[]>(type: "BLOB", nullable: false),
                    OccurredAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_backups_events", x => x.Revision);
                });

            migrationBuilder.CreateTable(
                name: "backups_leases",
                columns: table => new
                {
                    Name = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Holder = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Token = table.Column<long>(type: "INTEGER", nullable: false),
                    ExpiresAtMs = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_backups_leases", x => x.Name);
                });

            migrationBuilder.CreateTable(
                name: "backups_outbox",
                columns: table => new
                {
                    Sequence = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    MessageId = table.Column<Guid>(type: "TEXT", nullable: false),
                    MessageType = table.Column<string>(type: "TEXT", maxLength: 512, nullable: false),
                    Payload = table.Column<string>(type: "TEXT", nullable: false),
                    TraceParent = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    LastError = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_backups_outbox", x => x.Sequence);
                });

            migrationBuilder.CreateTable(
                name: "backups_policies",
                columns: table => new
                {
                    TargetDatabase = table.Column<string>(type: "TEXT", maxLength: 63, nullable: false),
                    Policy = table.Column<byte[]>(type: "BLOB", nullable: false),
                    Enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    EnabledAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    NextBackupAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    NextVerificationAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    StaleSince = table.Column<DateTime>(type: "TEXT", nullable: true),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Generation = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_backups_policies", x => x.TargetDatabase);
                });

            migrationBuilder.CreateTable(
                name: "backups_requests",
                columns: table => new
                {
                    RequestId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Method = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Response = table.Column<byte[]>(type: "BLOB", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_backups_requests", x => x.RequestId);
                });

            migrationBuilder.CreateTable(
                name: "backups_restores",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    BackupId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    TargetDatabase = table.Column<string>(type: "TEXT", maxLength: 63, nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    DryRun = table.Column<bool>(type: "INTEGER", nullable: false),
                    SkipSafetyBackup = table.Column<bool>(type: "INTEGER", nullable: false),
                    SafetyBackupId = table.Column<string>(type: "TEXT", nullable: false),
                    Error = table.Column<string>(type: "TEXT", nullable: false),
                    Initiator = table.Column<string>(type: "TEXT", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    StartedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    FinishedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    RequestId = table.Column<string>(type: "TEXT", nullable: false),
                    Revision = table.Column<long>(type: "INTEGER", nullable: false),
                    TraceParent = table.Column<string>(type: "TEXT", nullable: true),
                    Owner = table.Column<string>(type: "TEXT", nullable: false),
                    HeartbeatAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_backups_restores", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "backups_revision",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    Value = table.Column<long>(type: "INTEGER", nullable: false)
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

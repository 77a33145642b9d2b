using System;
using Microsoft.EntityFrameworkCore.Migrations;
using MySql.EntityFrameworkCore.Metadata;

#nullable disable

namespace ControlPlane.Backups.Migrations.MySql
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterDatabase()
                .Annotation("MySQL:Charset", "utf8mb4");

            migrationBuilder.CreateTable(
                name: "backups_backups",
                columns: table => new
                {
                    Id = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: false, collation: "utf8mb4_bin"),
                    TargetDatabase = table.Column<string>(type: "varchar(63)", maxLength: 63, nullable: false, collation: "utf8mb4_bin"),
                    Kind = table.Column<int>(type: "int", nullable: false),
                    Status = table.Column<int>(type: "int", nullable: false),
                    ArtifactUri = table.Column<string>(type: "longtext", nullable: false, collation: "utf8mb4_bin"),
                    SizeBytes = table.Column<long>(type: "bigint", nullable: false),
                    Sha256 = table.Column<string>(type: "longtext", nullable: false, collation: "utf8mb4_bin"),
                    Compression = table.Column<int>(type: "int", nullable: false),
                    EncryptionKeyId = table.Column<string>(type: "longtext", nullable: false, collation: "utf8mb4_bin"),
                    Manifest = table.Column<byte[]>(type: "longblob", nullable: false),
                    VerificationStatus = table.Column<int>(type: "int", nullable: false),
                    Verification = table.Column<byte[]>(type: "longblob", nullable: false),
                    VerifyWhenDone = table.Column<bool>(type: "tinyint(1)", nullable: false),
                    Error = table.Column<string>(type: "longtext", nullable: false, collation: "utf8mb4_bin"),
                    Trigger = table.Column<int>(type: "int", nullable: false),
                    Initiator = table.Column<string>(type: "longtext", nullable: false, collation: "utf8mb4_bin"),
                    Description = table.Column<string>(type: "longtext", nullable: false, collation: "utf8mb4_bin"),
                    Labels = table.Column<string>(type: "longtext", nullable: false, collation: "utf8mb4_bin"),
                    Pinned = table.Column<bool>(type: "tinyint(1)", nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "datetime(6)", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "datetime(6)", nullable: false),
                    StartedAt = table.Column<DateTime>(type: "datetime(6)", nullable: true),
                    FinishedAt = table.Column<DateTime>(type: "datetime(6)", nullable: true),
                    RequestId = table.Column<string>(type: "longtext", nullable: false, collation: "utf8mb4_bin"),
                    Revision = table.Column<long>(type: "bigint", nullable: false),
                    TraceParent = table.Column<string>(type: "longtext", nullable: true, collation: "utf8mb4_bin"),
                    Owner = table.Column<string>(type: "longtext", nullable: false, collation: "utf8mb4_bin"),
                    HeartbeatAt = table.Column<DateTime>(type: "datetime(6)", nullable: true),
                    CancelRequested = table.Column<bool>(type: "tinyint(1)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_backups_backups", x => x.Id);
                })
                .Annotation("MySQL:Charset", "utf8mb4");

            migrationBuilder.CreateTable(
                name: "backups_events",
                columns: table => new
                {
                    Revision = table.Column<long>(type: "bigint", nullable: false),
                    Stream = table.Column<string>(type: "varchar(128)", maxLength: 128, nullable: false, collation: "utf8mb4_bin"),
                    Subject = table.Column<string>(type: "varchar(256)", maxLength: 256, nullable: false, collation: "utf8mb4_bin"),
                    Type = table.Column<int>(type: "int", nullable: false),
                    Payload = table.Column<byte[]>(type: "longblob", nullable: false),
                    OccurredAt = table.Column<DateTime>(type: "datetime(6)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_backups_events", x => x.Revision);
                })
                .Annotation("MySQL:Charset", "utf8mb4");

            migrationBuilder.CreateTable(
                name: "backups_leases",
                columns: table => new
                {
                    Name = table.Column<string>(type: "varchar(128)", maxLength: 128, nullable: false, collation: "utf8mb4_bin"),
                    Holder = table.Column<string>(type: "varchar(128)", maxLength: 128, nullable: false, collation: "utf8mb4_bin"),
                    Token = table.Column<long>(type: "bigint", nullable: false),
                    ExpiresAtMs = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_backups_leases", x => x.Name);
                })
                .Annotation("MySQL:Charset", "utf8mb4");

            migrationBuilder.CreateTable(
                name: "backups_outbox",
                columns: table => new
                {
                    Sequence = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("MySQL:ValueGenerationStrategy", MySQLValueGenerationStrategy.IdentityColumn),
                    MessageId = table.Column<Guid>(type: "char(36)", nullable: false),
                    MessageType = table.Column<string>(type: "varchar(512)", maxLength: 512, nullable: false, collation: "utf8mb4_bin"),
                    Payload = table.Column<string>(type: "longtext", nullable: false, collation: "utf8mb4_bin"),
                    TraceParent = table.Column<string>(type: "varchar(128)", maxLength: 128, nullable: true, collation: "utf8mb4_bin"),
                    CreatedAt = table.Column<DateTime>(type: "datetime(6)", nullable: false),
                    Attempts = table.Column<int>(type: "int", nullable: false),
                    LastError = table.Column<string>(type: "longtext", nullable: true, collation: "utf8mb4_bin")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_backups_outbox", x => x.Sequence);
                })
                .Annotation("MySQL:Charset", "utf8mb4");

            migrationBuilder.CreateTable(
                name: "backups_policies",
                columns: table => new
                {
                    TargetDatabase = table.Column<string>(type: "varchar(63)", maxLength: 63, nullable: false, collation: "utf8mb4_bin"),
                    Policy = table.Column<byte[]>(type: "longblob", nullable: false),
                    Enabled = table.Column<bool>(type: "tinyint(1)", nullable: false),
                    EnabledAt = table.Column<DateTime>(type: "datetime(6)", nullable: true),
                    NextBackupAt = table.Column<DateTime>(type: "datetime(6)", nullable: true),
                    NextVerificationAt = table.Column<DateTime>(type: "datetime(6)", nullable: true),
                    StaleSince = table.Column<DateTime>(type: "datetime(6)", nullable: true),
                    UpdatedAt = table.Column<DateTime>(type: "datetime(6)", nullable: false),
                    Generation = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_backups_policies", x => x.TargetDatabase);
                })
                .Annotation("MySQL:Charset", "utf8mb4");

            migrationBuilder.CreateTable(
                name: "backups_requests",
                columns: table => new
                {
                    RequestId = table.Column<string>(type: "varchar(128)", maxLength: 128, nullable: false, collation: "utf8mb4_bin"),
                    Method = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: false, collation: "utf8mb4_bin"),
                    Response = table.Column<byte[]>(type: "longblob", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "datetime(6)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_backups_requests", x => x.RequestId);
                })
                .Annotation("MySQL:Charset", "utf8mb4");

            migrationBuilder.CreateTable(
                name: "backups_restores",
                columns: table => new
                {
                    Id = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: false, collation: "utf8mb4_bin"),
                    BackupId = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: false, collation: "utf8mb4_bin"),
                    TargetDatabase = table.Column<string>(type: "varchar(63)", maxLength: 63, nullable: false, collation: "utf8mb4_bin"),
                    Status = table.Column<int>(type: "int", nullable: false),
                    DryRun = table.Column<bool>(type: "tinyint(1)", nullable: false),
                    SkipSafetyBackup = table.Column<bool>(type: "tinyint(1)", nullable: false),
                    SafetyBackupId = table.Column<string>(type: "longtext", nullable: false, collation: "utf8mb4_bin"),
                    Error = table.Column<string>(type: "longtext", nullable: false, collation: "utf8mb4_bin"),
                    Initiator = table.Column<string>(type: "longtext", nullable: false, collation: "utf8mb4_bin"),
                    Reason = table.Column<string>(type: "longtext", nullable: false, collation: "utf8mb4_bin"),
                    CreatedAt = table.Column<DateTime>(type: "datetime(6)", nullable: false),
                    StartedAt = table.Column<DateTime>(type: "datetime(6)", nullable: true),
                    FinishedAt = table.Column<DateTime>(type: "datetime(6)", nullable: true),
                    RequestId = table.Column<string>(type: "longtext", nullable: false, collation: "utf8mb4_bin"),
                    Revision = table.Column<long>(type: "bigint", nullable: false),
                    TraceParent = table.Column<string>(type: "longtext", nullable: true, collation: "utf8mb4_bin"),
                    Owner = table.Column<string>(type: "longtext", nullable: false, collation: "utf8mb4_bin"),
                    HeartbeatAt = table.Column<DateTime>(type: "datetime(6)", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_backups_restores", x => x.Id);
                })
                .Annotation("MySQL:Charset", "utf8mb4");

            migrationBuilder.CreateTable(
                name: "backups_revision",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false),
                    Value = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_backups_revision", x => x.Id);
                })
                .Annotation("MySQL:Charset", "utf8mb4");

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

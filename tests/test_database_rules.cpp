// The N+1 and index rules on small projects, where the fixtures' (line, rule) sets are not
// enough: severities raised and lowered, and what messages and suggestions say.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "perfscan/engine.hpp"
#include "test_support.hpp"

namespace perfscan {
namespace {

using testing::findings_of;

Report scan_project(const testing::TempDir& dir) {
  ScanOptions options;
  options.paths = {dir.path().string()};
  options.jobs = 1;
  options.select = {"ALL"};
  return scan(options);
}

constexpr std::string_view kModels = R"(from django.db import models


class Tag(models.Model):
    name = models.CharField(max_length=50, unique=True)


class Device(models.Model):
    hostname = models.CharField(max_length=50, unique=True)

    def save(self, *args, **kwargs):
        self.hostname = self.hostname.lower()
        super().save(*args, **kwargs)


class Job(models.Model):
    state = models.IntegerField(default=0)
)";

}  // namespace

TEST_CASE("N+1: a one-time path lowers the severity one step and says why", "[database]") {
  testing::TempDir dir;
  dir.write("app/__init__.py", "");
  dir.write("app/models.py", kModels);
  dir.write("app/management/commands/sync.py", R"(from app.models import Tag


def handle(names):
    for name in names:
        Tag.objects.get(name=name)
)");
  Report report = scan_project(dir);
  auto found = findings_of(report, "PS201");
  REQUIRE(found.size() == 1);
  CHECK(found[0]->severity == Severity::medium);
  CHECK_THAT(found[0]->message, Catch::Contains("runs once, in a management command"));
}

TEST_CASE("N+1: save() per row on a model whose save() or signals bulk operations would skip", "[database]") {
  testing::TempDir dir;
  dir.write("app/__init__.py", "");
  dir.write("app/models.py", kModels);
  dir.write("app/signals.py", R"(from django.db.models.signals import post_save
from django.dispatch import receiver

from app.models import Device, Job


def notify(sender, instance, **kwargs):
    pass


post_save.connect(notify, sender=Job)


@receiver(post_save, sender=Device)
def audit(sender, instance, **kwargs):
    pass
)");
  dir.write("app/tasks.py", R"(from app.models import Device, Job, Tag


def rename(devices):
    for device in Device.objects.all():
        device.save()


def restart():
    for job in Job.objects.filter(state=1):
        job.state = 0
        job.save()


def touch():
    for tag in Tag.objects.all():
        tag.save()


def upsert(names):
    for name in names:
        Tag.objects.get_or_create(name=name)
)");
  Report report = scan_project(dir);
  auto found = findings_of(report, "PS203");
  REQUIRE(found.size() == 4);
  // Device: a save() override and a post_save receiver.
  CHECK(found[0]->span.line == 6);
  CHECK(found[0]->severity == Severity::medium);
  CHECK_THAT(found[0]->message, Catch::Contains("severity lowered one step"));
  CHECK_THAT(found[0]->message, Catch::Contains("`Device.save()`"));
  CHECK_THAT(found[0]->message, Catch::Contains("`post_save`"));
  CHECK_THAT(found[0]->suggestion, Catch::StartsWith("`bulk_update()` and `update()` skip `Device.save()`"));
  // Job: a post_save signal connected with connect().
  CHECK(found[1]->span.line == 12);
  CHECK(found[1]->severity == Severity::medium);
  CHECK_THAT(found[1]->message, Catch::Contains("app/signals.py:11"));
  // Tag: nothing a bulk update would skip.
  CHECK(found[2]->span.line == 17);
  CHECK(found[2]->severity == Severity::high);
  CHECK_THAT(found[2]->message, !Catch::Contains("lowered"));
  CHECK_THAT(found[2]->suggestion, Catch::Contains("bulk_update"));
  // get_or_create: a query per item, an INSERT per missing one.
  CHECK(found[3]->span.line == 22);
  CHECK_THAT(found[3]->message, Catch::Contains("runs a query on every iteration of the loop over `names`, and an "
                                                "INSERT for each missing row"));
}

}  // namespace perfscan

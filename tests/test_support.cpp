#include "test_support.hpp"

#include <sys/wait.h>

#include <sstream>

namespace perfscan::testing {

std::vector<const Finding*> findings_of(const Report& report, std::string_view rule) {
  std::vector<const Finding*> found;
  for (const Finding& finding : report.findings) {
    if (finding.rule_id == rule) found.push_back(&finding);
  }
  return found;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

namespace {

bool chooses_rules(const std::string& args) {
  for (std::string_view option : {"--select", "--extend-select", "--ignore", "--list-rules", "--explain"}) {
    if (args.find(option) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

CommandResult run_perfscan(const std::string& given_args, const std::filesystem::path& cwd,
                           const std::string& stdin_text, Tiers tiers) {
  std::string args = given_args;
  if (tiers == Tiers::all && !chooses_rules(args)) args = "--extend-select ALL " + args;
  TempDir scratch;
  auto out_path = scratch.path() / "stdout";
  auto err_path = scratch.path() / "stderr";
  auto in_path = scratch.write("stdin", stdin_text);
  std::string command;
  if (!cwd.empty()) command += "cd '" + cwd.string() + "' && ";
  command += std::string("'") + PERFSCAN_BINARY + "' " + args + " <'" + in_path.string() +
             "' >'" + out_path.string() + "' 2>'" + err_path.string() + "'";
  int status = std::system(command.c_str());
  CommandResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.out = read_file(out_path);
  result.err = read_file(err_path);
  return result;
}

}  // namespace perfscan::testing

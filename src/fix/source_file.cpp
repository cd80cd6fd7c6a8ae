#include "fix/source_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <fmt/format.h>

#include "syntax/source.hpp"

namespace perfscan {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// decode_source turns lone CRs into LFs in place (source.cpp); every other byte must be the
// same for offsets into the text to be offsets into the file.
bool same_bytes(std::string_view file, std::string_view text) {
  if (file.size() != text.size()) return false;
  for (std::size_t i = 0; i < file.size(); ++i) {
    if (file[i] != text[i] && !(file[i] == '\r' && text[i] == '\n')) return false;
  }
  return true;
}

}  // namespace

std::optional<std::string> editable_text(std::string_view bytes, FileForm& form) {
  form.bom = bytes.starts_with(kBom);
  std::string_view body = form.bom ? bytes.substr(kBom.size()) : bytes;
  std::size_t newline = body.find('\n');
  form.crlf = newline != std::string_view::npos && newline > 0 && body[newline - 1] == '\r';
  SourceText source = decode_source(std::string(bytes));
  if (!source.fatal.empty() || !source.warning.empty() || !same_bytes(body, source.text)) {
    return std::nullopt;
  }
  // Lone CRs stay as the file has them: the text keeps the file's bytes.
  return std::string(body);
}

std::string encode_like(std::string_view text, const FileForm& form) {
  std::string out;
  out.reserve(text.size() + kBom.size());
  if (form.bom) out.append(kBom);
  out.append(text);
  return out;
}

std::string write_atomically(const std::string& path, std::string_view bytes) {
  // Through a symlink, replace the file it points to, not the link itself.
  char resolved[PATH_MAX];
  std::string target = ::realpath(path.c_str(), resolved) != nullptr ? resolved : path;
  struct stat info {};
  if (::stat(target.c_str(), &info) != 0) return std::strerror(errno);
  std::string temp = target + ".perfscan-fix-XXXXXX";
  int fd = ::mkstemp(temp.data());
  if (fd < 0) return fmt::format("cannot create a temporary file beside it: {}", std::strerror(errno));
  std::string failure;
  std::size_t done = 0;
  while (done < bytes.size() && failure.empty()) {
    ssize_t put = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (put < 0 && errno == EINTR) continue;
    if (put <= 0) failure = std::strerror(put < 0 ? errno : EIO);
    if (put > 0) done += static_cast<std::size_t>(put);
  }
  // The original's permission bits (mkstemp makes 0600); the owner stays whoever runs the fix.
  if (failure.empty() && ::fchmod(fd, info.st_mode & 07777) != 0) failure = std::strerror(errno);
  if (failure.empty() && ::fsync(fd) != 0) failure = std::strerror(errno);
  if (::close(fd) != 0 && failure.empty()) failure = std::strerror(errno);
  if (failure.empty() && ::rename(temp.c_str(), target.c_str()) != 0) failure = std::strerror(errno);
  if (!failure.empty()) ::unlink(temp.c_str());
  return failure;
}

}  // namespace perfscan

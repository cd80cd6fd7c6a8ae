// A Python file as `--fix` rewrites it: the bytes on disk, and how they relate to the decoded
// text the rules' edit offsets address (source.hpp, decode_source).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace perfscan {

// What a rewrite must keep of the original bytes.
struct FileForm {
  bool bom = false;   // starts with a UTF-8 byte order mark
  bool crlf = false;  // its first line break is CRLF: inserted line breaks use it too
};

// The decoded text of `bytes` when edits to it can be written back byte for byte: UTF-8 (with
// or without a BOM) that decodes without replacement or transcoding. Files in another encoding
// (a PEP 263 cookie naming latin-1, say) or with undecodable bytes get no fix: nullopt.
std::optional<std::string> editable_text(std::string_view bytes, FileForm& form);

// The bytes to write for a rewritten text: the BOM put back (apply_fixes already wrote inserted
// line breaks in the file's style).
std::string encode_like(std::string_view text, const FileForm& form);

// Writes `bytes` to `path` atomically: a temporary file in the same folder, given the original's
// permission bits, then rename() over the original (through a symlink, the file it points to).
// Returns "" or the reason it failed; the original is untouched on failure.
std::string write_atomically(const std::string& path, std::string_view bytes);

}  // namespace perfscan

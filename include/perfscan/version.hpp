// perfscan's own version, as `--version`, reports and the result cache's key spell it, and its
// home page (CMake's project HOMEPAGE_URL): SARIF's informationUri and each rule's helpUri
// point there, as does the Debian package.
#pragma once

#include <string_view>

namespace perfscan {

std::string_view version();
// Without a trailing slash: "https://github.com/OWNER/perfscan".
std::string_view homepage_url();

}  // namespace perfscan

// perfscan's own version, as `--version`, reports and the result cache's key spell it.
#pragma once

#include <string_view>

namespace perfscan {

std::string_view version();

}  // namespace perfscan

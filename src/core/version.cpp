#include "perfscan/version.hpp"

namespace perfscan {

std::string_view version() { return PERFSCAN_VERSION; }

}  // namespace perfscan

#include "perfscan/version.hpp"

namespace perfscan {

std::string_view version() { return PERFSCAN_VERSION; }

std::string_view homepage_url() { return PERFSCAN_HOMEPAGE_URL; }

}  // namespace perfscan

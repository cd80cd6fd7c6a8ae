#include "cli/cli.hpp"

int main(int argc, char** argv) { return perfscan::run_cli(argc, argv); }

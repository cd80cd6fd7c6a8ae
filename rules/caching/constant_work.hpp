// PS701/PS702 through helpers: a function that parses a constant text (PS702) does the same work
// on every call, and one that builds a regular expression from its arguments (PS701) compiles
// it, or looks it up in re's cache, on every call; a loop that calls it once per iteration
// repeats that work, in whichever module the function lives. (A constant pattern is not
// recorded: re's cache serves it for a dictionary lookup.)
//
// During the walk PS701 and PS702 record that work in the function's summary
// (FunctionEffectFact::constant_work), and the hidden loop call-site collector records the
// calls loops make to other functions. At link time ProjectIndex::constant_work_of closes the
// summaries over the call graph (cached functions excluded) and each rule keeps the call sites
// whose callee repeats its kind of work.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "perfscan/context.hpp"
#include "perfscan/facts.hpp"
#include "perfscan/project.hpp"
#include "perfscan/rule.hpp"

namespace perfscan {

// Records in the summary of the function being walked that `call` does constant work, described
// as `work` ("re.compile(r\"\\d+\")"), unless it already records some. Calls in a loop of that
// function are the rules' own findings, and calls in an `except` clause run only on errors:
// neither is recorded.
void record_constant_work(Context& ctx, Node call, std::string work);

// Which kind of constant work a summary names: a regular expression (PS701) or a parse (PS702).
bool is_regex_work(std::string_view work);

// The loop call sites whose callee, through any chain of project functions, does constant work
// of the kind `regex` selects: one finding each, for `rule`, with the chain in the message.
void link_constant_work(const Rule& rule, bool regex, const ProjectIndex& index, std::vector<Finding>& findings);

}  // namespace perfscan

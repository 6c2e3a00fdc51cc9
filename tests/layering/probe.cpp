// SPDX-License-Identifier: GPL-3.0-or-later
// Compiled once per row of tests/layering/CMakeLists.txt with one header.
#include PROBE_HEADER

// SPDX-License-Identifier: GPL-2.0
/*
 * pseudoscopic_kunit.ko: KUnit suites for pseudoscopic's in-kernel units.
 * Each *_test.c file in tests/kunit/ registers its own suite; this file only
 * carries the module metadata.
 */
#include <linux/module.h>

#include <pseudoscopic/core/compat.h>

MODULE_DESCRIPTION("KUnit tests for pseudoscopic");
MODULE_LICENSE("GPL");
PS_IMPORT_KUNIT_NS();

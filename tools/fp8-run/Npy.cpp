//===- Npy.cpp - Read and write NumPy .npy files --------------------------===//
//
// Part of fp8-mlir.
//
// Format: magic "\x93NUMPY", major and minor version bytes, a header length
// (2 bytes little-endian in v1, 4 bytes in v2/v3), then a Python dict literal
// {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), } padded with
// spaces to a multiple of 64 bytes and ended by '\n', then the data.
//
//===----------------------------------------------------------------------===//

#include "Npy.h"
#include "fp8/Support/CheckedShape.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;
using namespace fp8run;

static Error npyError(StringRef path, const Twine &message) {
  return createStringError(inconvertibleErrorCode(),
                           path + ": " + message);
}

/// Extracts the value text of `'key': value` from the header dict.
static std::optional<StringRef> headerField(StringRef header, StringRef key) {
  size_t at = header.find(("'" + key + "'").str());
  if (at == StringRef::npos)
    return std::nullopt;
  StringRef rest = header.drop_front(at + key.size() + 2).ltrim();
  if (!rest.consume_front(":"))
    return std::nullopt;
  return rest.ltrim();
}

/// Element size in bytes of a dtype descriptor fp8-run reads ("<f4",
/// "|u1", ...: a byte order, a kind among bool, signed and unsigned integer
/// and float, and a size that kind has), or 0 for any other descriptor.
static unsigned dtypeBytes(StringRef dtype) {
  unsigned bytes = 0;
  if (dtype.size() < 3 || !StringRef("<>|=").contains(dtype[0]) ||
      dtype.drop_front(2).getAsInteger(10, bytes))
    return 0;
  switch (dtype[1]) {
  case 'b':
    return bytes == 1 ? bytes : 0;
  case 'i':
  case 'u':
    return llvm::is_contained({1u, 2u, 4u, 8u}, bytes) ? bytes : 0;
  case 'f':
    return llvm::is_contained({2u, 4u, 8u}, bytes) ? bytes : 0;
  default:
    return 0;
  }
}

/// `[2, 3]`.
static std::string formatShape(ArrayRef<int64_t> shape) {
  std::string text = "[";
  for (int64_t dim : shape)
    text += (text.size() > 1 ? ", " : "") + std::to_string(dim);
  return text + "]";
}

Expected<NpyArray> fp8run::readNpy(StringRef path) {
  auto buffer = MemoryBuffer::getFile(path, /*IsText=*/false,
                                      /*RequiresNullTerminator=*/false);
  if (!buffer)
    return npyError(path, "cannot read: " + buffer.getError().message());
  StringRef bytes = (*buffer)->getBuffer();
  if (!bytes.starts_with("\x93NUMPY") || bytes.size() < 10)
    return npyError(path, "not a .npy file (bad magic)");
  unsigned major = uint8_t(bytes[6]), minor = uint8_t(bytes[7]);
  size_t headerLength, headerStart;
  if (major == 1) {
    headerLength = uint8_t(bytes[8]) | (uint8_t(bytes[9]) << 8);
    headerStart = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12)
      return npyError(path, "truncated header");
    headerLength = uint32_t(uint8_t(bytes[8])) |
                   (uint32_t(uint8_t(bytes[9])) << 8) |
                   (uint32_t(uint8_t(bytes[10])) << 16) |
                   (uint32_t(uint8_t(bytes[11])) << 24);
    headerStart = 12;
  } else {
    return npyError(path, "unsupported .npy format version " + Twine(major) +
                              "." + Twine(minor) +
                              " (fp8-run reads versions 1, 2 and 3)");
  }
  if (bytes.size() < headerStart + headerLength)
    return npyError(path, "truncated header");
  StringRef header = bytes.substr(headerStart, headerLength);

  NpyArray array;
  std::optional<StringRef> descr = headerField(header, "descr");
  if (!descr || !descr->consume_front("'"))
    return npyError(path, "header has no 'descr'");
  array.dtype = descr->take_until([](char c) { return c == '\''; }).str();
  unsigned elementBytes = dtypeBytes(array.dtype);
  if (!elementBytes)
    return npyError(path, "unsupported dtype '" + array.dtype +
                              "'; fp8-run reads bool (b1), integer (i1, i2, "
                              "i4, i8, u1, u2, u4, u8) and float (f2, f4, f8) "
                              "arrays");
  if (array.dtype[0] == '>' && elementBytes > 1)
    return npyError(path, "big-endian dtype '" + array.dtype +
                              "' is not supported");
  std::optional<StringRef> fortran = headerField(header, "fortran_order");
  if (!fortran)
    return npyError(path, "header has no 'fortran_order'");
  if (fortran->starts_with("True"))
    return npyError(path, "Fortran-order arrays are not supported; save "
                          "np.ascontiguousarray(x)");
  std::optional<StringRef> shapeText = headerField(header, "shape");
  if (!shapeText || !shapeText->consume_front("("))
    return npyError(path, "header has no 'shape'");
  StringRef dims = shapeText->take_until([](char c) { return c == ')'; });
  SmallVector<StringRef> parts;
  dims.split(parts, ',', -1, /*KeepEmpty=*/false);
  for (StringRef part : parts) {
    part = part.trim();
    if (part.empty())
      continue;
    int64_t dim;
    if (part.getAsInteger(10, dim) || dim < 0)
      return npyError(path, "bad shape entry '" + part + "'");
    array.shape.push_back(dim);
  }

  std::optional<int64_t> count = mlir::fp8::checkedProduct(array.shape);
  if (!count)
    return npyError(path, "shape " + formatShape(array.shape) +
                              " has more elements than int64 can count");
  std::optional<int64_t> expected =
      llvm::checkedMul<int64_t>(*count, elementBytes);
  if (!expected)
    return npyError(path, "shape " + formatShape(array.shape) + " of dtype '" +
                              array.dtype +
                              "' has more bytes than int64 can count");
  size_t dataStart = headerStart + headerLength;
  uint64_t held = bytes.size() - dataStart;
  if (held != uint64_t(*expected))
    return npyError(path, "holds " + Twine(held) + " data bytes; shape " +
                              formatShape(array.shape) + " of dtype '" +
                              array.dtype + "' needs " + Twine(*expected));
  array.data.assign(bytes.begin() + dataStart, bytes.end());
  return array;
}

Error fp8run::writeNpy(StringRef path, const NpyArray &array) {
  std::string shape;
  for (int64_t dim : array.shape)
    shape += (shape.empty() ? "" : ", ") + std::to_string(dim);
  if (array.shape.size() == 1)
    shape += ","; // A one-element Python tuple.
  std::string header = "{'descr': '" + array.dtype +
                       "', 'fortran_order': False, 'shape': (" + shape +
                       "), }";
  // Pad so that magic + version + length + header is a multiple of 64.
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';

  std::error_code ec;
  raw_fd_ostream os(path, ec, sys::fs::OF_None);
  if (ec)
    return npyError(path, "cannot write: " + ec.message());
  os << "\x93NUMPY" << char(1) << char(0);
  os << char(header.size() & 0xff) << char((header.size() >> 8) & 0xff);
  os << header;
  os.write(reinterpret_cast<const char *>(array.data.data()),
           array.data.size());
  if (os.has_error())
    return npyError(path, "write failed");
  return Error::success();
}

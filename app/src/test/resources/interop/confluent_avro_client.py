#!/usr/bin/python3
"""A client that is not ours: librdkafka (confluent-kafka) and the Apache Avro Python library, speaking the
Confluent wire format (magic byte 0, 4-byte schema id, Avro binary) and the Confluent registry REST API.

  produce BOOTSTRAP REGISTRY_URL TOPIC COUNT   registers the MetricPoint schema, writes COUNT records
  consume BOOTSTRAP REGISTRY_URL TOPIC COUNT   reads COUNT records, resolving writer schemas by id; prints them as JSON lines
"""
import io
import json
import struct
import sys
import urllib.request

import avro.io
import avro.schema
from confluent_kafka import Consumer, Producer

METRIC_POINT = {
    "type": "record", "name": "MetricPoint", "namespace": "io.millrace.schemas.common",
    "fields": [
        {"name": "series", "type": "string"},
        {"name": "timestamp", "type": "long"},
        {"name": "value", "type": "double"},
        {"name": "tags", "type": {"type": "map", "values": "string"}, "default": {}},
    ],
}


def registry(url, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url + path, data=data, headers={"Content-Type": "application/vnd.schemaregistry.v1+json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def produce(bootstrap, registry_url, topic, count):
    schema_id = registry(registry_url, "/subjects/%s-value/versions" % topic, {"schema": json.dumps(METRIC_POINT)})["id"]
    writer = avro.io.DatumWriter(avro.schema.parse(json.dumps(METRIC_POINT)))
    producer = Producer({"bootstrap.servers": bootstrap, "acks": "all"})
    for i in range(count):
        buffer = io.BytesIO()
        buffer.write(struct.pack(">bI", 0, schema_id))
        writer.write({"series": "python-%d" % i, "timestamp": 1764000000000 + i, "value": i * 1.5, "tags": {"client": "librdkafka"}},
                     avro.io.BinaryEncoder(buffer))
        producer.produce(topic, key=("python-%d" % i).encode(), value=buffer.getvalue())
    if producer.flush(30) != 0:
        sys.exit("not all records were delivered")
    print("produced %d records with schema id %d" % (count, schema_id))


def consume(bootstrap, registry_url, topic, count):
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "interop-python", "auto.offset.reset": "earliest"})
    consumer.subscribe([topic])
    readers = {}
    seen = 0
    while seen < count:
        message = consumer.poll(30)
        if message is None:
            sys.exit("timed out after %d records" % seen)
        if message.error():
            continue
        magic, schema_id = struct.unpack(">bI", message.value()[:5])
        if magic != 0:
            sys.exit("bad magic byte %d" % magic)
        if schema_id not in readers:
            writer_schema = avro.schema.parse(registry(registry_url, "/schemas/ids/%d" % schema_id)["schema"])
            readers[schema_id] = avro.io.DatumReader(writer_schema)
        record = readers[schema_id].read(avro.io.BinaryDecoder(io.BytesIO(message.value()[5:])))
        print(json.dumps(record, sort_keys=True))
        seen += 1
    consumer.close()


if __name__ == "__main__":
    mode, bootstrap, registry_url, topic, count = sys.argv[1:6]
    {"produce": produce, "consume": consume}[mode](bootstrap, registry_url, topic, int(count))
